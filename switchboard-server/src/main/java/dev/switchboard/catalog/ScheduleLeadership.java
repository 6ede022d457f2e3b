package dev.switchboard.catalog;

import java.util.Optional;

/**
 * Who runs the refresh schedule. An instance alone on its store always does; in a cluster, the holder of the
 * schedule's lease does ({@link dev.switchboard.catalog.LeaderLease}), one term at a time.
 */
@FunctionalInterface
public interface ScheduleLeadership {
    /** Alone on its store: always leading, nothing to fence. */
    ScheduleLeadership ALONE = () -> Optional.of(RefreshFence.NONE);

    /** The fence of the term under way when this instance leads now; empty while another instance leads. */
    Optional<RefreshFence> term();
}
