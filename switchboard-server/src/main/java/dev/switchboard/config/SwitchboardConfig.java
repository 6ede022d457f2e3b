package dev.switchboard.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole static configuration: what the TOML file (plus environment overrides) says.
 * Immutable and validated; built by {@link ConfigLoader}.
 *
 * @param source  the file it was read from, or empty for a configuration built in code
 * @param gateway the OpenAI-compatible gateway's limits ({@code [gateway]}, defaults when absent)
 * @param nats    the broker bridge, when {@code [nats]} is set
 * @param metadataSources the {@code [[metadata_sources]]} in file order (the order their facts are consulted in)
 */
public record SwitchboardConfig(ServerConfig server, StoreConfig store, CatalogConfig catalog, EventsConfig events,
                                AuthConfig auth, List<ProviderConfig> providers, List<ModelConfigSeed> modelConfigs,
                                Optional<Path> source, GatewayConfig gateway, Optional<NatsConfig> nats,
                                List<MetadataSourceConfig> metadataSources) {
    /** Without metadata sources. */
    public SwitchboardConfig(ServerConfig server, StoreConfig store, CatalogConfig catalog, EventsConfig events,
                             AuthConfig auth, List<ProviderConfig> providers, List<ModelConfigSeed> modelConfigs,
                             Optional<Path> source, GatewayConfig gateway, Optional<NatsConfig> nats) {
        this(server, store, catalog, events, auth, providers, modelConfigs, source, gateway, nats, List.of());
    }

    /** With the gateway's defaults and without the broker bridge. */
    public SwitchboardConfig(ServerConfig server, StoreConfig store, CatalogConfig catalog, EventsConfig events,
                             AuthConfig auth, List<ProviderConfig> providers, List<ModelConfigSeed> modelConfigs,
                             Optional<Path> source) {
        this(server, store, catalog, events, auth, providers, modelConfigs, source, GatewayConfig.defaults(), Optional.empty());
    }

    public SwitchboardConfig {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(auth, "auth");
        providers = List.copyOf(providers);
        modelConfigs = List.copyOf(modelConfigs);
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(nats, "nats");
        metadataSources = List.copyOf(metadataSources);
    }

    public Optional<ProviderConfig> provider(String id) {
        return providers.stream().filter(p -> p.id().equals(id)).findFirst();
    }

    public SwitchboardConfig withServer(ServerConfig newServer) {
        return new SwitchboardConfig(newServer, store, catalog, events, auth, providers, modelConfigs, source, gateway, nats, metadataSources);
    }

    public SwitchboardConfig withStore(StoreConfig newStore) {
        return new SwitchboardConfig(server, newStore, catalog, events, auth, providers, modelConfigs, source, gateway, nats, metadataSources);
    }

    public SwitchboardConfig withCatalog(CatalogConfig newCatalog) {
        return new SwitchboardConfig(server, store, newCatalog, events, auth, providers, modelConfigs, source, gateway, nats, metadataSources);
    }

    public SwitchboardConfig withEvents(EventsConfig newEvents) {
        return new SwitchboardConfig(server, store, catalog, newEvents, auth, providers, modelConfigs, source, gateway, nats, metadataSources);
    }

    public SwitchboardConfig withProviders(List<ProviderConfig> newProviders) {
        return new SwitchboardConfig(server, store, catalog, events, auth, newProviders, modelConfigs, source, gateway, nats, metadataSources);
    }

    public SwitchboardConfig withModelConfigs(List<ModelConfigSeed> seeds) {
        return new SwitchboardConfig(server, store, catalog, events, auth, providers, seeds, source, gateway, nats, metadataSources);
    }

    public SwitchboardConfig withAuth(AuthConfig newAuth) {
        return new SwitchboardConfig(server, store, catalog, events, newAuth, providers, modelConfigs, source, gateway, nats, metadataSources);
    }

    public SwitchboardConfig withGateway(GatewayConfig newGateway) {
        return new SwitchboardConfig(server, store, catalog, events, auth, providers, modelConfigs, source, newGateway, nats, metadataSources);
    }

    public SwitchboardConfig withNats(NatsConfig newNats) {
        return new SwitchboardConfig(server, store, catalog, events, auth, providers, modelConfigs, source, gateway,
                Optional.of(newNats), metadataSources);
    }

    public SwitchboardConfig withMetadataSources(List<MetadataSourceConfig> sources) {
        return new SwitchboardConfig(server, store, catalog, events, auth, providers, modelConfigs, source, gateway, nats, sources);
    }
}
