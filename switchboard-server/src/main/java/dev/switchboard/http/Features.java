package dev.switchboard.http;

import dev.switchboard.catalog.CatalogState;
import dev.switchboard.catalog.ModelLookup;
import dev.switchboard.catalog.ProviderAdmin;
import dev.switchboard.catalog.RefreshCoordinator;
import dev.switchboard.configs.ModelConfigService;
import dev.switchboard.events.ChangeBus;
import dev.switchboard.events.EventFeed;
import dev.switchboard.provider.ProviderRegistry;
import dev.switchboard.store.Store;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** What the routes call: the features, built and wired in {@code Switchboard}. */
public record Features(CatalogState catalog, ChangeBus bus, ProviderRegistry providers, RefreshCoordinator coordinator,
                       ModelLookup lookup, ModelConfigService configs, ProviderAdmin providerAdmin, Store store, PrometheusMeterRegistry meters,
                       EventFeed feed, Duration heartbeat, BooleanSupplier started, Clock clock) {
}
