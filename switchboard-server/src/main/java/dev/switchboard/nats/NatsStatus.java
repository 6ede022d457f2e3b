package dev.switchboard.nats;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code GET /api/v1/nats} shows. {@code lag} is the number of committed revisions not yet confirmed on the
 * stream, as this instance last saw it: unknown until it has reached the broker once.
 *
 * @param enabled           {@code [nats]} is configured
 * @param connected         the connection to the broker is up
 * @param publishing        this instance publishes the events (it leads the schedule); the others answer requests
 * @param revision          the newest revision committed, as this instance has applied it
 * @param publishedRevision the newest revision on the stream (JetStream confirmed it, or it was read back)
 * @param lag               {@code revision - publishedRevision}, never negative
 * @param lastError         why the last attempt to connect or publish failed, until one succeeds
 */
public record NatsStatus(boolean enabled, boolean connected, boolean publishing, List<String> servers,
                         Optional<String> subjectPrefix, Optional<String> stream, long revision,
                         OptionalLong publishedRevision, OptionalLong lag, Optional<String> lastError) {
    public NatsStatus {
        servers = List.copyOf(servers);
    }

    /** Without {@code [nats]}. */
    public static NatsStatus disabled(long revision) {
        return new NatsStatus(false, false, false, List.of(), Optional.empty(), Optional.empty(), revision,
                OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
    }
}
