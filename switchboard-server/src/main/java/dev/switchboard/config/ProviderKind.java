package dev.switchboard.config;

import java.util.Arrays;
import java.util.Optional;

/** The wire dialects Switchboard speaks; {@link #wireName()} is what the config and API use. */
public enum ProviderKind {
    OPENAI, ANTHROPIC, GEMINI, OLLAMA, REGISTRY, STATIC;

    public String wireName() {
        return name().toLowerCase();
    }

    public static Optional<ProviderKind> fromWireName(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName().equals(name)).findFirst();
    }

    public static String wireNames() {
        return String.join(", ", Arrays.stream(values()).map(ProviderKind::wireName).toList());
    }
}
