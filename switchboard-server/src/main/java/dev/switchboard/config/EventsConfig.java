package dev.switchboard.config;

import java.time.Duration;

/**
 * The {@code [events]} section: how long the change feed's log is kept. An event is pruned only when it
 * is older than {@code retention} <em>and</em> not among the newest {@code minEvents}, so a client can
 * always resume after a short absence on a quiet server and after a long one on a busy server.
 *
 * @param retention keep every event at least this long; {@link Duration#ZERO} keeps by count alone
 * @param minEvents keep at least this many of the newest events, whatever their age
 */
public record EventsConfig(Duration retention, int minEvents) {
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);
    public static final int DEFAULT_MIN_EVENTS = 10_000;

    public static EventsConfig defaults() {
        return new EventsConfig(DEFAULT_RETENTION, DEFAULT_MIN_EVENTS);
    }
}
