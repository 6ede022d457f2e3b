package dev.switchboard.config;

import java.util.ArrayList;
import java.util.List;

/**
 * Errors found in one pass over the configuration. Collected rather than thrown one at a time so that
 * a user with three typos learns about all three from one start.
 */
final class Problems {
    private final List<String> messages = new ArrayList<>();

    void add(String message) {
        messages.add(message);
    }

    boolean isEmpty() {
        return messages.isEmpty();
    }

    void throwIfAny() {
        if (!messages.isEmpty()) throw new ConfigException(messages);
    }
}
