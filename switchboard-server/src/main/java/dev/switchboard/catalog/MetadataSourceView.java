package dev.switchboard.catalog;

import dev.switchboard.config.MetadataSourceConfig;

import java.time.Instant;
import java.util.Optional;

/** A metadata source as the status API shows it: its configuration, its state and when it is fetched next. */
public record MetadataSourceView(MetadataSourceConfig config, MetadataSourceState state, Optional<Instant> nextRefreshAt) {
}
