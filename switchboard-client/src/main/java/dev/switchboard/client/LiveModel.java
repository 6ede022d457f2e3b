package dev.switchboard.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One alias, kept current: read at start, then followed on the change feed (filtered to the alias), with
 * reconnects that resume by revision, so no change is missed. While disconnected it keeps serving the last
 * value. A {@code resync_required} from the server (the client fell too far behind) reloads the alias.
 */
public final class LiveModel implements AutoCloseable {
    /** Where a live model stands. */
    public enum State {
        /** Not yet read from the server. */
        CONNECTING,
        /** The alias is configured; {@link #current()} has it. */
        READY,
        /** The server has no such alias (yet); it becomes READY when one is created. */
        UNCONFIGURED,
        /** The last attempt to read it failed (server unreachable, refused credential); retrying in the background. */
        ERROR
    }

    private final Switchboard switchboard;
    private final String alias;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final List<Consumer<ModelConfig>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch settled = new CountDownLatch(1);
    private final SseLines parser = new SseLines();
    private volatile State state = State.CONNECTING;
    private volatile ModelConfig current;
    private volatile Throwable lastError;
    private volatile Stream<String> stream;
    private volatile boolean closed;
    private long revision;
    private boolean reload = true;
    private Thread follower;

    LiveModel(Switchboard switchboard, String alias, Duration minBackoff, Duration maxBackoff) {
        this.switchboard = switchboard;
        this.alias = alias;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
    }

    void start() {
        follower = Thread.ofVirtual().name("switchboard-live-" + alias).start(this::follow);
    }

    public String alias() {
        return alias;
    }

    public State state() {
        return state;
    }

    /**
     * Waits until the alias has been read once (or the first read failed) and returns the state then:
     * {@code READY}, {@code UNCONFIGURED} or {@code ERROR}; {@code CONNECTING} if the wait ran out.
     */
    public State awaitReady(Duration timeout) throws InterruptedException {
        settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return state;
    }

    /** The configuration now. */
    public ModelConfig current() {
        ModelConfig config = current;
        if (config == null) throw new IllegalStateException("model configuration \"" + alias + "\" is " + state.name().toLowerCase());
        return config;
    }

    public Optional<ModelConfig> currentIfConfigured() {
        return Optional.ofNullable(current);
    }

    /** Why the last read failed, while the state is ERROR. */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Called with each new version (on the model's own thread); also once now if it is already configured. */
    public LiveModel onChange(Consumer<ModelConfig> listener) {
        listeners.add(listener);
        ModelConfig now = current;
        if (now != null) listener.accept(now);
        return this;
    }

    private void follow() {
        Duration backoff = minBackoff;
        while (!closed) {
            try {
                if (reload) {
                    Switchboard.Bootstrap bootstrap = switchboard.bootstrap(alias);
                    revision = bootstrap.revision();
                    apply(bootstrap.config());
                    reload = false;
                }
                if (listen()) backoff = minBackoff;
            } catch (SwitchboardException | UncheckedIOException | IOException e) {
                if (closed) return;
                lastError = e;
                if (current == null) state = State.ERROR;
                settled.countDown();
            } catch (InterruptedException e) {
                return;
            }
            if (closed) return;
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
        }
    }

    /** Follows the feed until it ends; true when it had connected (so the backoff starts over). */
    private boolean listen() throws IOException, InterruptedException {
        String path = "/api/v1/events?aliases=" + URLEncoder.encode(alias, StandardCharsets.UTF_8) + "&since=" + revision;
        HttpResponse<Stream<String>> response = switchboard.http().send(switchboard.request(path)
                .setHeader("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() != 200) {
            String body;
            try (Stream<String> lines = response.body()) {
                body = String.join("\n", lines.toList());
            }
            throw switchboard.failure(response.statusCode(), body);
        }
        stream = response.body();
        lastError = null;
        try (Stream<String> lines = stream) {
            for (Iterator<String> it = lines.iterator(); it.hasNext() && !closed; ) {
                Optional<SseLines.Event> event = parser.line(it.next());
                if (event.isPresent() && !handle(event.get())) break;
            }
        }
        return true;
    }

    /** Applies one event; false when the stream should be reopened. */
    private boolean handle(SseLines.Event event) {
        switch (event.type()) {
            case "model_config.created", "model_config.updated" -> {
                // the event's copy has secret-looking params redacted: read the configuration itself
                revision = Long.parseLong(event.id());
                apply(switchboard.bootstrap(alias).config());
            }
            case "model_config.deleted" -> {
                revision = Long.parseLong(event.id());
                apply(Optional.empty());
            }
            case "resync_required" -> {
                reload = true; // we fell behind the retained log: read the alias afresh and follow from now
                return false;
            }
            case "auth_expired" -> {
                return false;
            }
            default -> {
                if (event.id() != null) revision = Long.parseLong(event.id());
            }
        }
        return true;
    }

    private void apply(Optional<ModelConfig> config) {
        ModelConfig before = current;
        if (config.isPresent()) {
            current = config.get();
            state = State.READY;
            boolean changed = before == null || !before.equals(config.get());
            if (changed) for (Consumer<ModelConfig> listener : listeners) listener.accept(config.get());
        } else {
            current = null;
            state = State.UNCONFIGURED;
        }
        settled.countDown();
    }

    /** Stops following; the last value stays readable. */
    @Override
    public void close() {
        closed = true;
        Stream<String> open = stream;
        if (open != null) open.close();
        if (follower != null) follower.interrupt();
        switchboard.forget(this);
    }
}
