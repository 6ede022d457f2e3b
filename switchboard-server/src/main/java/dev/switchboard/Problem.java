package dev.switchboard;

import java.util.Map;

/**
 * A request the domain refuses, with a stable {@code type} and details for the client. Features throw
 * these; the HTTP layer maps each kind to its status in one place.
 */
public abstract sealed class Problem extends RuntimeException {
    private final String type;
    private final Map<String, Object> details;

    private Problem(String type, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.type = type;
        this.details = Map.copyOf(details);
    }

    public String type() {
        return type;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** Malformed input: wrong types, missing fields, bad syntax (400). {@code details.fields} names each field. */
    public static final class Invalid extends Problem {
        public Invalid(String message, Map<String, String> fields) {
            super("invalid_request", message, fields.isEmpty() ? Map.of() : Map.of("fields", fields));
        }
    }

    /** Well-formed input that does not make sense here: unknown provider or model, a fallback cycle (422). */
    public static final class Unprocessable extends Problem {
        public Unprocessable(String message, Map<String, String> fields) {
            super("validation_failed", message, fields.isEmpty() ? Map.of() : Map.of("fields", fields));
        }
    }

    public static final class NotFound extends Problem {
        public NotFound(String type, String message) {
            super(type, message, Map.of());
        }
    }

    public static final class Conflict extends Problem {
        public Conflict(String type, String message) {
            super(type, message, Map.of());
        }
    }

    /** {@code If-Match} named another version; {@code details.current_version} tells the one to edit. */
    public static final class PreconditionFailed extends Problem {
        public PreconditionFailed(String message, long currentVersion) {
            super("version_mismatch", message, Map.of("current_version", currentVersion));
        }
    }
}
