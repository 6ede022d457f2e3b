package dev.switchboard.events;

import java.util.List;
import java.util.Set;

/**
 * Which events a subscriber wants. Each non-empty set must match: {@code types} by exact type or by a
 * prefix written {@code model_config.*}; {@code providers} and {@code aliases} when the event concerns at
 * least one of them. Values that match nothing are allowed: a client may name a provider before it exists.
 * {@code resync_required} is never filtered.
 */
public record EventFilter(Set<String> types, Set<String> providers, Set<String> aliases) {
    public static final EventFilter ALL = new EventFilter(Set.of(), Set.of(), Set.of());

    public EventFilter {
        types = Set.copyOf(types);
        providers = Set.copyOf(providers);
        aliases = Set.copyOf(aliases);
    }

    public boolean matches(FeedEvent event) {
        if (event.isResyncRequired()) return true;
        return (types.isEmpty() || types.stream().anyMatch(pattern -> typeMatches(pattern, event.type())))
                && (providers.isEmpty() || event.providers().stream().anyMatch(providers::contains))
                && (aliases.isEmpty() || event.aliases().stream().anyMatch(aliases::contains));
    }

    public boolean acceptsAll() {
        return types.isEmpty() && providers.isEmpty() && aliases.isEmpty();
    }

    List<FeedEvent> select(List<FeedEvent> events) {
        return acceptsAll() ? events : events.stream().filter(this::matches).toList();
    }

    private static boolean typeMatches(String pattern, String type) {
        if (pattern.equals("*")) return true;
        if (pattern.endsWith(".*")) return type.startsWith(pattern.substring(0, pattern.length() - 1));
        return pattern.equals(type);
    }
}
