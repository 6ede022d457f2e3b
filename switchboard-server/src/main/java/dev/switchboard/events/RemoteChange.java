package dev.switchboard.events;

import java.util.List;

/**
 * What an event another instance committed asks of this one, read once from its type and data (here, and nowhere
 * else) so that the features that follow it match on records, not on type strings.
 */
public sealed interface RemoteChange {
    long revision();

    /** Providers' snapshots changed (a refresh, a status change): reload them. */
    record CatalogMoved(long revision, List<String> providerIds) implements RemoteChange {
    }

    /** An API-managed provider was created, changed or deleted; its snapshot may have changed with it. */
    record ProviderEdited(long revision, String providerId) implements RemoteChange {
    }

    /** A model configuration was created, changed or deleted: read it as it is now. */
    record ConfigEdited(long revision, String alias) implements RemoteChange {
    }

    /** A type this version does not know (written by a newer one): nothing to reload. */
    record Unknown(long revision) implements RemoteChange {
    }

    static RemoteChange of(ChangeEvent event) {
        long revision = event.revision();
        return switch (event.type()) {
            case CatalogChanged.TYPE, ProviderStatusChanged.TYPE ->
                    new CatalogMoved(revision, event.data().findValuesAsText("provider_id").stream().distinct().toList());
            case "provider.created", "provider.updated", "provider.deleted" ->
                    new ProviderEdited(revision, event.data().path("provider_id").asText());
            case "model_config.created", "model_config.updated", "model_config.deleted" ->
                    new ConfigEdited(revision, event.data().path("alias").asText());
            default -> new Unknown(revision);
        };
    }
}
