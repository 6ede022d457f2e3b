package dev.switchboard.events;

import java.util.List;
import java.util.Optional;

/**
 * What an event says, one record per event type; its {@link #type()} becomes the SSE {@code event:} field
 * and the envelope's {@code type}. Serialized with snake_case field names; only the record components are
 * the payload ({@link #type()}, {@link #providerIds()} and {@link #aliases()} are not serialized).
 */
public sealed interface ChangeData permits CatalogChanged, ProviderStatusChanged, ProviderChanged, ModelConfigChanged {
    String type();

    /** Provider ids the event concerns, for the feed's {@code ?providers=} filter. */
    List<String> providerIds();

    /**
     * Model-configuration aliases the event concerns, for the feed's {@code ?aliases=} filter. Only
     * model-configuration events name aliases; they override this.
     */
    default List<String> aliases() {
        return List.of();
    }

    /**
     * The record an event type is read back into, so that events replayed from the log can be filtered
     * like live ones. Every permitted record must be listed here; an unknown type (from a newer version)
     * matches no provider and no alias.
     */
    static Optional<Class<? extends ChangeData>> recordOf(String type) {
        return switch (type) {
            case CatalogChanged.TYPE -> Optional.of(CatalogChanged.class);
            case ProviderStatusChanged.TYPE -> Optional.of(ProviderStatusChanged.class);
            case "provider.created", "provider.updated", "provider.deleted" -> Optional.of(ProviderChanged.class);
            case "model_config.created", "model_config.updated", "model_config.deleted" -> Optional.of(ModelConfigChanged.class);
            default -> Optional.empty();
        };
    }
}
