package dev.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.sse.SseEvent;
import dev.switchboard.client.sse.SseParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One model configuration (alias), kept current: read at start, then followed on the change feed (filtered to the
 * alias), with reconnects that resume by revision, so no change is missed. While disconnected it keeps serving the
 * last value. A {@code resync_required} from the server (the client was away longer than the server keeps events)
 * reloads the alias.
 *
 * <p>Each new version is taken from its change event, so every version reaches the listeners exactly once and in
 * order, however fast the changes come. Events carry secret-looking params (such as {@code api_key}) redacted; for
 * those versions the real params are read from the server, so {@link #current()} and the listeners always see the
 * configuration as it was saved.
 *
 * <p>Every listener runs on the model's own thread ({@code switchboard-live-<alias>}), one call at a time, in the
 * order of the changes; the feed is read on another thread, so a slow listener delays later calls but loses
 * nothing. A listener that throws is logged (at {@code WARNING}, by the {@link System.Logger} named after this
 * class) and the others, and later versions, are still delivered.
 */
public final class LiveModel implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LiveModel.class.getName());

    /** Where a live model stands. */
    public enum State {
        /** Not yet read from the server. */
        CONNECTING,
        /** The alias is configured; {@link #current()} has it. */
        READY,
        /**
         * The server has no such alias: it was never created, or it was deleted. {@link #current()} throws and
         * {@link #currentIfConfigured()} is empty; it becomes READY (and the change listeners are called) when the
         * alias is created.
         */
        UNCONFIGURED,
        /**
         * The first read failed (server unreachable, refused credential) and there is no value yet; retrying in the
         * background. A model that had a value keeps it, and stays READY, while the server is unreachable.
         */
        ERROR
    }

    private final Switchboard switchboard;
    private final String alias;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final CountDownLatch settled = new CountDownLatch(1);
    /** The model's thread: every listener call and every change of {@link #current}, in order. */
    private final ExecutorService delivery;
    private final RedactedParams redacted;
    // written on the model's thread only
    private final List<Consumer<ModelConfig>> changeListeners = new ArrayList<>();
    private final List<Consumer<ModelConfig>> removeListeners = new ArrayList<>();
    private volatile State state = State.CONNECTING;
    private volatile ModelConfig current;
    private volatile Throwable lastError;
    // the follower's (feed reader's) own
    private volatile Stream<String> stream;
    private volatile boolean closed;
    private long revision;
    private boolean reload = true;
    /** The last configuration handed to the model's thread, to drop what did not change (a reload's re-read). */
    private ModelConfig latest;
    private Thread follower;

    LiveModel(Switchboard switchboard, String alias, Duration minBackoff, Duration maxBackoff) {
        this.switchboard = switchboard;
        this.alias = alias;
        this.minBackoff = minBackoff;
        this.maxBackoff = maxBackoff;
        this.redacted = new RedactedParams(switchboard, alias);
        this.delivery = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("switchboard-live-" + alias).factory());
    }

    void start() {
        follower = Thread.ofVirtual().name("switchboard-feed-" + alias).start(this::follow);
    }

    /**
     * The configuration's name.
     *
     * @return the alias this model follows
     */
    public String alias() {
        return alias;
    }

    /**
     * Where the model stands now.
     *
     * @return the state
     */
    public State state() {
        return state;
    }

    /**
     * Waits until the alias has been read once (or the first read failed) and returns the state then:
     * {@code READY}, {@code UNCONFIGURED} or {@code ERROR}; {@code CONNECTING} if the wait ran out.
     *
     * @param timeout how long to wait at most
     * @return the state after the wait
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public State awaitReady(Duration timeout) throws InterruptedException {
        settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return state;
    }

    /**
     * The configuration now: the last version received, also while the server is unreachable.
     *
     * @return the configuration, never null
     * @throws IllegalStateException when there is none: the state is {@code UNCONFIGURED} (the alias does not exist on
     *                               the server, or was deleted), {@code CONNECTING} (not read yet) or {@code ERROR}
     *                               (the first read failed); the message says which. Use {@link #currentIfConfigured()}
     *                               where that is expected.
     */
    public ModelConfig current() {
        ModelConfig config = current;
        if (config != null) return config;
        State now = state;
        throw new IllegalStateException("model configuration \"" + alias + "\" " + switch (now) {
            case UNCONFIGURED -> "does not exist on the server (UNCONFIGURED): it was never created or it was deleted";
            case CONNECTING -> "has not been read yet (CONNECTING): call awaitReady first";
            case ERROR -> "could not be read (ERROR): " + lastError().map(Throwable::getMessage).orElse("unknown error");
            case READY -> "has no value"; // not reached: READY always has one
        });
    }

    /**
     * The configuration now, for callers that expect it may be missing.
     *
     * @return the configuration, or empty when there is none (see {@link #current()})
     */
    public Optional<ModelConfig> currentIfConfigured() {
        return Optional.ofNullable(current);
    }

    /**
     * Why the last read of the server failed, while it keeps failing.
     *
     * @return the failure, usually a {@link SwitchboardException}; empty once the server answers again
     */
    public Optional<Throwable> lastError() {
        return Optional.ofNullable(lastError);
    }

    /**
     * Calls {@code listener} with every new version of the configuration, once each and in order, on the model's own
     * thread; and first with the current one, if there is one (also on the model's thread, so the call may come just
     * after this method returns). A change that only moves {@link ModelConfig#targetStatus()} (the target model left
     * or came back to its provider's catalog) keeps the version and is delivered too. A listener that throws is logged
     * and keeps receiving later versions.
     *
     * @param listener called with each configuration
     * @return this model
     */
    public LiveModel onChange(Consumer<ModelConfig> listener) {
        onModelThread(() -> {
            changeListeners.add(listener);
            ModelConfig now = current;
            if (now != null) call(listener, now);
        });
        return this;
    }

    /**
     * Calls {@code listener} on the model's own thread when the alias is deleted on the server, with the last
     * configuration it had. The model is then {@link State#UNCONFIGURED}: {@link #current()} throws until the alias is
     * created again, which the change listeners hear about.
     *
     * @param listener called with the configuration that was deleted
     * @return this model
     */
    public LiveModel onRemove(Consumer<ModelConfig> listener) {
        onModelThread(() -> removeListeners.add(listener));
        return this;
    }

    /** Reads the feed: bootstrap (or reload), then follow; on any failure wait and resume. It ends only on close. */
    private void follow() {
        Duration backoff = minBackoff;
        while (!closed) {
            try {
                if (reload) {
                    Switchboard.Bootstrap bootstrap = switchboard.bootstrap(alias);
                    revision = bootstrap.revision();
                    bootstrap.config().ifPresentOrElse(this::changed, this::removed);
                    reload = false;
                }
                if (listen()) backoff = minBackoff;
            } catch (SwitchboardException e) {
                failed(e);
            } catch (IOException | UncheckedIOException e) {
                failed(switchboard.unreachable(e));
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // something unexpected (a malformed event, a bug): never let it end the follower; start over
                if (closed) return;
                LOG.log(System.Logger.Level.WARNING, "following model configuration \"" + alias + "\" failed; reloading it", e);
                reload = true;
                failed(e);
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
        onModelThread(() -> lastError = null);
        SseParser parser = new SseParser(); // per connection: a frame cut off by a drop must not leak into the next
        try (Stream<String> lines = stream) {
            for (Iterator<String> it = lines.iterator(); it.hasNext() && !closed; ) {
                Optional<SseEvent> event = parser.line(it.next());
                if (event.isPresent() && !handle(event.get())) break;
            }
        }
        return true;
    }

    /** Applies one event; false when the stream should be reopened. */
    private boolean handle(SseEvent event) {
        switch (event.type()) {
            case "model_config.created", "model_config.updated" -> {
                changed(fromEvent(event));
                revision = Long.parseLong(event.id());
            }
            case "model_config.deleted" -> {
                removed();
                revision = Long.parseLong(event.id());
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

    /** The configuration an event carries, with the real params when the event's are redacted. */
    private ModelConfig fromEvent(SseEvent event) {
        JsonNode config;
        ModelConfig carried;
        try {
            config = switchboard.read(event.data()).path("data").path("config");
            carried = switchboard.parse(config);
        } catch (SwitchboardException | IllegalArgumentException e) {
            // not a failure to reach the server: resuming would replay the same event, so the follower reloads
            throw new IllegalStateException("malformed " + event.type() + " event at revision " + event.id() + ": " + e.getMessage(), e);
        }
        if (!RedactedParams.hidesSecrets(config.path("params"))) return carried;
        return new ModelConfig(carried.alias(), carried.provider(), carried.model(), redacted.of(carried.version()),
                carried.fallbacks(), carried.description(), carried.labels(), carried.version(), carried.updatedAt(),
                carried.updatedBy(), carried.targetStatus());
    }

    private void changed(ModelConfig config) {
        if (config.equals(latest)) return; // a reload that found what we already have
        latest = config;
        onModelThread(() -> {
            current = config;
            state = State.READY;
            settled.countDown();
            for (Consumer<ModelConfig> listener : changeListeners) call(listener, config);
        });
    }

    private void removed() {
        ModelConfig last = latest;
        latest = null;
        onModelThread(() -> {
            current = null;
            state = State.UNCONFIGURED;
            settled.countDown();
            if (last != null) for (Consumer<ModelConfig> listener : removeListeners) call(listener, last);
        });
    }

    private void failed(Throwable e) {
        if (closed) return;
        onModelThread(() -> {
            lastError = e;
            if (current == null) state = State.ERROR;
            settled.countDown();
        });
    }

    /** A listener's failure is its own: logged, and the model goes on with the next listener and version. */
    private void call(Consumer<ModelConfig> listener, ModelConfig config) {
        try {
            listener.accept(config);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.log(System.Logger.Level.WARNING, "a listener of model configuration \"" + alias + "\" failed on version "
                    + config.version() + "; it keeps receiving later versions", e);
        }
    }

    private void onModelThread(Runnable task) {
        try {
            delivery.execute(task);
        } catch (RejectedExecutionException closedAlready) {
            // the model was closed: nothing more is delivered
        }
    }

    /** Stops following and calling listeners; the last value stays readable. */
    @Override
    public void close() {
        closed = true;
        Stream<String> open = stream;
        if (open != null) open.close();
        if (follower != null) follower.interrupt();
        delivery.shutdownNow();
        switchboard.forget(this);
    }
}
