package dev.switchboard.nats;

import java.util.Optional;

/**
 * The subjects of one bridge, all under its prefix: {@code {prefix}.events.{type}} for the events (a type such as
 * {@code model_config.updated} adds its own tokens), {@code {prefix}.bootstrap.{alias}} and {@code {prefix}.models}
 * for request/reply.
 */
record Subjects(String prefix) {
    /** The subject of an event of this type. */
    String event(String type) {
        return prefix + ".events." + type;
    }

    /** Every event: what the stream keeps. */
    String events() {
        return prefix + ".events.>";
    }

    /** Every bootstrap request; {@code >} rather than {@code *} because an alias may contain dots ({@code gpt-4.1}). */
    String bootstrap() {
        return prefix + ".bootstrap.>";
    }

    String models() {
        return prefix + ".models";
    }

    /** The alias a bootstrap request names, when the subject is one. */
    Optional<String> aliasOf(String subject) {
        String start = prefix + ".bootstrap.";
        return subject.startsWith(start) && subject.length() > start.length()
                ? Optional.of(subject.substring(start.length())) : Optional.empty();
    }
}
