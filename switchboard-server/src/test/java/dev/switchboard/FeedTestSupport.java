package dev.switchboard;

import dev.switchboard.events.FeedSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A {@link FeedFixture} with providers {@code a} and {@code b}, fresh for each test. */
public abstract class FeedTestSupport {
    @TempDir
    protected Path dir;
    protected FeedFixture feed;

    /** The feed's limits for this class's tests. */
    protected FeedSettings settings() {
        return FeedSettings.defaults();
    }

    @BeforeEach
    void startFeed() {
        feed = FeedFixture.start(dir, settings(), "a", "b");
    }

    @AfterEach
    void stopFeed() {
        feed.close();
    }
}
