package dev.switchboard.http;

import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.TokenService;
import dev.switchboard.catalog.CatalogState;
import dev.switchboard.config.AuthConfig;
import dev.switchboard.catalog.MetadataResolution;
import dev.switchboard.catalog.MetadataSourceRefresher;
import dev.switchboard.catalog.ModelLookup;
import dev.switchboard.catalog.ProviderAdmin;
import dev.switchboard.catalog.RefreshCoordinator;
import dev.switchboard.configs.ModelConfigService;
import dev.switchboard.events.ChangeBus;
import dev.switchboard.events.EventFeed;
import dev.switchboard.gateway.Gateway;
import dev.switchboard.events.EventFeed;
import dev.switchboard.nats.NatsStatus;
import dev.switchboard.provider.ProviderRegistry;
import dev.switchboard.store.Store;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** What the routes call: the features, built and wired in {@code Switchboard}. */
public record Features(CatalogState catalog, ChangeBus bus, ProviderRegistry providers, RefreshCoordinator coordinator,
                       ModelLookup lookup, ModelConfigService configs, ProviderAdmin providerAdmin, Store store, PrometheusMeterRegistry meters,
                       AuthConfig auth, ApiKeys keys, TokenService tokens,
                       EventFeed feed, Duration heartbeat, BooleanSupplier started, Clock clock, Gateway gateway,
                       Supplier<NatsStatus> nats, MetadataResolution metadata, MetadataSourceRefresher metadataSources) {
}
