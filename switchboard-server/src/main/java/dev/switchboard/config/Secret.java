package dev.switchboard.config;

/**
 * A credential. Its value is never printed: {@link #toString()} masks it, so a secret that
 * ends up in a log line or an exception message shows as {@code ***}.
 *
 * @param value     the resolved value (empty when absent)
 * @param reference how the config named it, e.g. {@code ${env:OPENAI_API_KEY}}, or empty for a literal
 */
public record Secret(String value, String reference) {
    public static final Secret NONE = new Secret("", "");

    public static Secret literal(String value) {
        return new Secret(value, "");
    }

    public boolean isPresent() {
        return !value.isEmpty();
    }

    @Override
    public String toString() {
        if (!reference.isEmpty()) return reference;
        return isPresent() ? "***" : "";
    }
}
