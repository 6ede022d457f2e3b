package dev.switchboard.events;

import java.util.List;

/**
 * What an event says, one record per event type; its {@link #type()} becomes the SSE {@code event:} field
 * and the envelope's {@code type}. Serialized with snake_case field names (record components only).
 */
public sealed interface ChangeData permits CatalogChanged, ProviderStatusChanged, ProviderChanged, ModelConfigChanged {
    String type();

    /** Provider ids the event concerns, for the feed's {@code ?providers=} filter. */
    List<String> providerIds();

    /** Model-configuration aliases the event concerns, for the feed's {@code ?aliases=} filter. */
    default List<String> aliases() {
        return List.of();
    }
}
