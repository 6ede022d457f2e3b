package dev.switchboard.store;

import org.jdbi.v3.core.Handle;

import java.util.Collection;

/**
 * The one place that tells the other instances sharing a PostgreSQL store that something changed: a NOTIFY in the
 * transaction of the change, so it is delivered exactly when the change commits. On H2 there is one instance and
 * nobody to tell. The cluster listener ({@code events.ClusterSync}) LISTENs to these channels.
 */
public final class ClusterNotifier {
    /** Nobody listens (H2, or tests that run one instance). */
    public static final ClusterNotifier NONE = new ClusterNotifier(false);
    /** Under PostgreSQL's 8000-byte cap on a notification's payload (provider ids are ASCII). */
    private static final int MAX_STATUS_PAYLOAD = 7_500;

    public enum Channel {
        /** Events were appended (payload: the revision): read the log. */
        CHANGES("switchboard_changes"),
        /** API keys or browser sessions were created or revoked: every instance re-reads them. */
        KEYS("switchboard_keys"),
        /** Providers' status was saved (payload: their ids, comma-separated; empty for all): re-read it. */
        STATUS("switchboard_status");

        private final String wireName;

        Channel(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    private final boolean enabled;

    ClusterNotifier(boolean enabled) {
        this.enabled = enabled;
    }

    public void changes(Handle transaction, long revision) {
        send(transaction, Channel.CHANGES, Long.toString(revision));
    }

    public void keys(Handle transaction) {
        send(transaction, Channel.KEYS, "");
    }

    /** Providers' status saved without an event; too many ids for one payload ask for every provider. */
    public void status(Handle transaction, Collection<String> providerIds) {
        if (providerIds.isEmpty()) return;
        String ids = String.join(",", providerIds);
        send(transaction, Channel.STATUS, ids.length() <= MAX_STATUS_PAYLOAD ? ids : "");
    }

    private void send(Handle transaction, Channel channel, String payload) {
        if (!enabled) return;
        transaction.createQuery("SELECT pg_notify(:channel, :payload)")
                .bind("channel", channel.wireName()).bind("payload", payload).mapTo(String.class).findOne();
    }
}
