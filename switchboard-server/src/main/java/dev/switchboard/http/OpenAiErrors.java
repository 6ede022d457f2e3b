package dev.switchboard.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.gateway.Operation;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Errors in OpenAI's shape on the gateway's paths, {@code {"error": {"message", "type", "param", "code"}}}, so
 * that OpenAI's SDKs read them as they read OpenAI's own: every error there, the refusals made before the
 * gateway runs included (401, 403, 413 over {@code max_request_bytes}, 415 for a body that is not JSON). {@code code}
 * is Switchboard's error type ({@code model_not_found}, {@code payload_too_large} …); {@code type} is OpenAI's
 * class of error for the status; {@code param} names the field at fault when there is exactly one.
 */
final class OpenAiErrors {
    private static final Set<String> PATHS = Arrays.stream(Operation.values()).map(Operation::path).collect(Collectors.toUnmodifiableSet());

    private OpenAiErrors() {
    }

    static boolean appliesTo(String path) {
        return path != null && PATHS.contains(path);
    }

    static ObjectNode body(int status, String code, String message, Map<String, Object> details) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type(status));
        error.put("param", param(details)); // null when no one field is at fault, as OpenAI sends it
        error.put("code", code);
        return body;
    }

    private static String type(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 429 -> "rate_limit_error";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }

    private static String param(Map<String, Object> details) {
        return details.get("fields") instanceof Map<?, ?> fields && fields.size() == 1 ? fields.keySet().iterator().next().toString() : null;
    }
}
