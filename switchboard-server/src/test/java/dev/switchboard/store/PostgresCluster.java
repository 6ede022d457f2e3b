package dev.switchboard.store;

import dev.switchboard.Switchboard;
import dev.switchboard.TestHttp;
import dev.switchboard.config.SwitchboardConfig;

import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Instances of Switchboard sharing one {@link PostgresSchema}: each is served with the shared master key (so that
 * every instance reads the others' provider credentials), and on close everything opened here is closed, newest
 * first, before the schema is dropped.
 */
final class PostgresCluster implements AutoCloseable {
    final PostgresSchema schema;
    private final List<AutoCloseable> open = new ArrayList<>();

    PostgresCluster() throws SQLException {
        schema = new PostgresSchema();
    }

    /** A served instance on this cluster's schema, closed with the cluster. */
    Switchboard instance(SwitchboardConfig config) {
        return closeLater(new Switchboard(config, Clock.systemUTC(), PostgresSchema.MASTER_KEY).serve());
    }

    /** An HTTP client for the instance, closed with the cluster. */
    TestHttp http(Switchboard switchboard) {
        return closeLater(new TestHttp(switchboard.port()));
    }

    /** Closes {@code closeable} with the cluster, before what was opened earlier. */
    <T extends AutoCloseable> T closeLater(T closeable) {
        open.add(closeable);
        return closeable;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : open.reversed()) closeable.close();
        schema.close();
    }
}
