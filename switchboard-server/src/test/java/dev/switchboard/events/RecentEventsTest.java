package dev.switchboard.events;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The in-memory ring of the newest events: contiguous, bounded by count and bytes. */
class RecentEventsTest {
    @Test
    void itHoldsTheNewestEventsUpToItsCapacityAcrossWrapAround() {
        RecentEvents recent = new RecentEvents(4, 10);
        LongStream.rangeClosed(11, 23).forEach(r -> recent.add(event(r, 10)));

        assertThat(recent.coversAfter(19)).isTrue();
        assertThat(recent.coversAfter(18)).isFalse();
        assertThat(recent.after(19, 100)).extracting(FeedEvent::revision).containsExactly(20L, 21L, 22L, 23L);
        assertThat(recent.after(20, 2)).extracting(FeedEvent::revision).containsExactly(21L, 22L);
        assertThat(recent.after(23, 100)).isEmpty();
    }

    @Test
    void nothingAfterTheNewestIsCoveredAndAnEmptyRingCoversOnlyItsHead() {
        RecentEvents empty = new RecentEvents(4, 7);

        assertThat(empty.coversAfter(7)).isTrue();
        assertThat(empty.coversAfter(6)).isFalse();
        assertThat(empty.coversAfter(8)).isFalse();
    }

    @Test
    void hugeEventsAreEvictedByBytesKeepingAtLeastTheNewest() {
        RecentEvents recent = new RecentEvents(100, 0);
        int third = (int) (RecentEvents.MAX_BYTES / 3) + 1;
        LongStream.rangeClosed(1, 4).forEach(r -> recent.add(event(r, third)));

        assertThat(recent.coversAfter(2)).isTrue();
        assertThat(recent.coversAfter(1)).isFalse();

        recent.add(event(5, (int) RecentEvents.MAX_BYTES + 1));
        assertThat(recent.coversAfter(4)).isTrue();
        assertThat(recent.coversAfter(3)).isFalse();
    }

    @Test
    void anEventThatDoesNotFollowTheNewestIsRefused() {
        RecentEvents recent = new RecentEvents(4, 10);

        assertThatThrownBy(() -> recent.add(event(12, 1))).hasMessage("revision 12 does not follow 10");
    }

    private static FeedEvent event(long revision, int bytes) {
        return new FeedEvent(revision, "test", new byte[bytes], Set.of(), Set.of());
    }
}
