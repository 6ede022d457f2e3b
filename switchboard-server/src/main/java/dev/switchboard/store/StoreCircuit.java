package dev.switchboard.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Whether the store is known to be down. A failure that says the store cannot be reached opens the circuit:
 * from then on store calls are refused at once, instead of each waiting the write timeout for a connection
 * that will not come, and a probe closes the circuit as soon as the store answers again.
 */
final class StoreCircuit implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreCircuit.class);
    /** How often the probe asks while the store is down; also the longest a recovered store stays refused. */
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(250);

    private final BooleanSupplier probe;
    private final AtomicBoolean probing = new AtomicBoolean();
    /** Why the store is down, or null while it is not known to be. */
    private volatile StoreUnavailableException down;
    private volatile boolean closed;

    /** @param probe true when the store answers; bounded in time, never throws */
    StoreCircuit(BooleanSupplier probe) {
        this.probe = probe;
    }

    boolean isOpen() {
        return down != null;
    }

    /** What a refused call throws: the last reason the store gave, and that nothing was tried. */
    StoreUnavailableException refusal() {
        StoreUnavailableException cause = down;
        String reason = cause == null ? "" : ": " + cause.getMessage().replaceFirst("^store unavailable: ", "");
        return new StoreUnavailableException("store unavailable" + reason + "; nothing was tried, retry once it answers"
                + " again (GET /readyz)", cause);
    }

    void opened(StoreUnavailableException cause) {
        if (closed) return;
        if (down == null) log.warn("store unavailable ({}); refusing store calls until it answers again", cause.getMessage());
        down = cause;
        if (probing.compareAndSet(false, true)) Thread.ofVirtual().name("switchboard-store-probe").start(this::probeUntilUp);
    }

    private void probeUntilUp() {
        try {
            while (down != null && !closed) {
                Thread.sleep(PROBE_INTERVAL);
                if (probe.getAsBoolean()) {
                    down = null;
                    log.info("store answers again");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            probing.set(false);
        }
        // opened again between the last look and the reset above: nobody else started a probe
        if (down != null && !closed && probing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("switchboard-store-probe").start(this::probeUntilUp);
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
