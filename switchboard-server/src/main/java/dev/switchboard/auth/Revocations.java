package dev.switchboard.auth;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Who relies on a credential for longer than one request — an open change-feed stream — watches it here and is
 * told when it is revoked: its key (deleted on this instance or, in a cluster, on another), or the session its
 * access token belongs to (signed out, or its refresh chain revoked after a replay). Requests check credentials
 * as they come; this is for what was let in before.
 */
public final class Revocations {
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();

    /** A watch; closing it (when the watcher goes away) means it is never told. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Runs {@code revoked} once, on the revoking thread, when {@code principal}'s credential is revoked — at once
     * when {@code current} says it already was (between the request's check and this watch, nothing else would tell).
     */
    Registration watch(Principal principal, Runnable revoked, Predicate<Principal> current) {
        Watch watch = new Watch(principal, revoked);
        watches.add(watch);
        if (!current.test(principal)) watch.fire();
        return watch;
    }

    void keysRevoked(Collection<String> keyIds) {
        if (!keyIds.isEmpty()) tell(p -> keyIds.contains(p.keyId()));
    }

    void sessionsRevoked(Collection<String> sessions) {
        if (!sessions.isEmpty()) tell(p -> p.session().isPresent() && sessions.contains(p.session().get()));
    }

    private void tell(Predicate<Principal> revoked) {
        for (Watch watch : watches) {
            if (revoked.test(watch.principal)) watch.fire();
        }
    }

    private final class Watch implements Registration {
        final Principal principal;
        final Runnable revoked;
        final AtomicBoolean done = new AtomicBoolean();

        Watch(Principal principal, Runnable revoked) {
            this.principal = principal;
            this.revoked = revoked;
        }

        void fire() {
            if (done.compareAndSet(false, true)) {
                watches.remove(this);
                revoked.run();
            }
        }

        @Override
        public void close() {
            done.set(true);
            watches.remove(this);
        }
    }
}
