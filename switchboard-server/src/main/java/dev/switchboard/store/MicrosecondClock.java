package dev.switchboard.store;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

/**
 * A clock whose instants stop at microseconds, what H2 and PostgreSQL timestamps keep. Every time a write
 * records is taken from it, so the time in a write's answer and live event is the one read back after a
 * restart or by another instance, never a nanosecond-precise value that exists only in memory.
 */
public final class MicrosecondClock extends Clock {
    private final Clock clock;

    private MicrosecondClock(Clock clock) {
        this.clock = clock;
    }

    public static Clock of(Clock clock) {
        return clock instanceof MicrosecondClock ? clock : new MicrosecondClock(clock);
    }

    @Override
    public Instant instant() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public long millis() {
        return clock.millis();
    }

    @Override
    public ZoneId getZone() {
        return clock.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new MicrosecondClock(clock.withZone(zone));
    }
}
