package dev.switchboard.events;

/**
 * What an event says, one record per event type; its {@link #type()} becomes the SSE {@code event:} field
 * and the envelope's {@code type}. Serialized with snake_case field names.
 */
public sealed interface ChangeData permits CatalogChanged, ProviderStatusChanged {
    String type();

    /** Provider ids the event concerns, for the feed's {@code ?providers=} filter. */
    java.util.List<String> providerIds();
}
