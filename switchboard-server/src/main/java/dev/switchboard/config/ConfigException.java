package dev.switchboard.config;

import java.util.List;

/**
 * A configuration that cannot be used; the message names the file, the line and what to fix.
 * When several things are wrong, {@link #problems()} lists each and the message has one per line.
 */
public final class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(String message) {
        super(message);
        this.problems = List.of(message);
    }

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem found, each a complete message with its file and line or environment variable. */
    public List<String> problems() {
        return problems;
    }
}
