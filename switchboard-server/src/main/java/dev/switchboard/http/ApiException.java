package dev.switchboard.http;

import java.util.Map;

/** A request that cannot be answered as asked; rendered as {@code {"error": {type, message, details?}}}. */
final class ApiException extends RuntimeException {
    final int status;
    final String type;
    final Map<String, Object> details;

    ApiException(int status, String type, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
        this.details = details;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "invalid_request", message, Map.of());
    }

    static ApiException notFound(String type, String message) {
        return new ApiException(404, type, message, Map.of());
    }
}
