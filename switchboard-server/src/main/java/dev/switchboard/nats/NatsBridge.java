package dev.switchboard.nats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.NatsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The broker bridge ({@code [nats]}): publishes every committed event to JetStream, in revision order, and answers
 * bootstrap and catalog requests. It runs on its own thread and only ever reads what was committed, so a broker
 * that is down, slow or refusing never holds up a write: a commit only {@linkplain #wake() wakes} the thread, which
 * catches up from the event log whenever the broker takes messages again.
 *
 * <p>The thread connects (again and again until the broker answers; the client then reconnects by itself), then
 * on every wake-up, every {@link #IDLE_PASS} and after every failure (waiting longer each time, up to
 * {@link #MAX_RETRY_WAIT}) makes one {@linkplain EventPublisher#publishPending pass}.
 */
public final class NatsBridge implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NatsBridge.class);
    /** Between two attempts of the client to reconnect to a broker it lost. */
    static final Duration RECONNECT_WAIT = Duration.ofSeconds(1);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** A pass without a wake-up: picks up a leadership taken over from another instance, and the follower's lag. */
    static final Duration IDLE_PASS = Duration.ofSeconds(5);
    private static final Duration FIRST_RETRY_WAIT = Duration.ofMillis(250);
    /** Also the longest a broker that came back (to a bridge that never reached it) waits to be used. */
    static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(5);
    /** Shutdown's share for the bridge: the publish under way gets it, then the connection is left to close alone. */
    private static final Duration CLOSE_BOUND = Duration.ofMillis(300);

    private final NatsConfig config;
    private final Subjects subjects;
    private final LongSupplier revision;
    private final BooleanSupplier leading;
    private final Function<String, Optional<JsonNode>> configs;
    private final ObjectMapper mapper;
    private final EventPublisher publisher;
    private final Semaphore wakeUps = new Semaphore(0);
    private final AtomicBoolean reconnected = new AtomicBoolean();
    /** The connection was up when last heard of: the client reports a lost connection more than once, and every failed attempt. */
    private final AtomicBoolean up = new AtomicBoolean();
    private final Thread thread;
    private volatile Connection connection;
    private volatile String lastError;
    private volatile boolean closed;
    private Supplier<ModelsBody> models;
    private JetStreamLog stream;
    private Duration retryWait = FIRST_RETRY_WAIT;

    /**
     * @param events   the event log, read after the stream's newest revision
     * @param revision the newest revision this instance has applied
     * @param leading  true while this instance publishes (in a cluster, the schedule's leader)
     * @param configs  an alias's configuration as the broker shows it (redacted), or empty
     */
    public NatsBridge(NatsConfig config, EventSource events, LongSupplier revision, BooleanSupplier leading,
                      Function<String, Optional<JsonNode>> configs, ObjectMapper mapper, MeterRegistry meters) {
        this.config = config;
        this.subjects = new Subjects(config.subjectPrefix());
        this.revision = revision;
        this.leading = leading;
        this.configs = configs;
        this.mapper = mapper;
        Counter published = Counter.builder("switchboard.nats.published")
                .description("Events JetStream confirmed, published by this instance").register(meters);
        this.publisher = new EventPublisher(events, revision, leading, published::increment);
        this.thread = Thread.ofPlatform().name("switchboard-nats").daemon().unstarted(this::run);
        Gauge.builder("switchboard.nats.lag.events", this, bridge -> bridge.status().lag().stream()
                        .mapToDouble(lag -> lag).findFirst().orElse(Double.NaN))
                .description("Committed revisions not yet on the JetStream stream, as this instance last saw it (NaN until the broker was reached)")
                .register(meters);
        Gauge.builder("switchboard.nats.connected", this, bridge -> bridge.isConnected() ? 1 : 0)
                .description("1 while the connection to the NATS broker is up").register(meters);
    }

    /** Connects and starts publishing and answering; {@code models} is the {@code /v1/models} body as served. */
    public void start(Supplier<ModelsBody> models) {
        this.models = models;
        log.info("NATS bridge: {} (subjects {}.*, stream {})", String.join(",", config.redactedServers()),
                config.subjectPrefix(), config.stream());
        thread.start();
    }

    /** Something was committed: publish it. Never blocks; safe from any thread (the writer calls it). */
    public void wake() {
        if (wakeUps.availablePermits() == 0) wakeUps.release();
    }

    public NatsStatus status() {
        long newest = revision.getAsLong();
        OptionalLong published = publisher.publishedRevision();
        OptionalLong lag = published.isPresent() ? OptionalLong.of(Math.max(0, newest - published.getAsLong())) : OptionalLong.empty();
        return new NatsStatus(true, isConnected(), leading.getAsBoolean(), config.redactedServers(),
                Optional.of(config.subjectPrefix()), Optional.of(config.stream()), newest, published, lag,
                Optional.ofNullable(lastError));
    }

    private boolean isConnected() {
        Connection current = connection;
        return current != null && current.getStatus() == Connection.Status.CONNECTED;
    }

    private void run() {
        try {
            Duration wait = Duration.ZERO;
            while (!closed) {
                if (!wait.isZero()) {
                    // woken early by a commit: take the other wake-ups with it; else the wait simply ran out
                    if (wakeUps.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) wakeUps.drainPermits();
                }
                if (closed) break;
                wait = pass();
            }
        } catch (InterruptedException stopping) {
            // close() interrupts a wait
        } finally {
            disconnect();
        }
    }

    /** One pass; returns how long to wait for the next one when nothing wakes the thread. */
    private Duration pass() throws InterruptedException {
        try {
            Connection current = connection;
            if (current == null || current.getStatus() == Connection.Status.CLOSED) current = connect();
            if (current.getStatus() != Connection.Status.CONNECTED) return IDLE_PASS; // RECONNECTED wakes the thread
            if (reconnected.getAndSet(false)) publisher.forgetCursor();
            publisher.publishPending(stream);
            recovered();
            return IDLE_PASS;
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            if (closed) return Duration.ZERO;
            publisher.forgetCursor();
            failed(e);
            Duration wait = retryWait;
            Duration doubled = retryWait.multipliedBy(2);
            retryWait = doubled.compareTo(MAX_RETRY_WAIT) > 0 ? MAX_RETRY_WAIT : doubled;
            return wait;
        }
    }

    private Connection connect() throws IOException, InterruptedException {
        Options.Builder options = new Options.Builder()
                .servers(config.servers().toArray(String[]::new))
                .connectionName("switchboard")
                .connectionTimeout(CONNECT_TIMEOUT)
                .maxReconnects(-1) // a broker that comes back after hours is still used
                .reconnectWait(RECONNECT_WAIT)
                .connectionListener(this::connectionEvent)
                .errorListener(new QuietErrors());
        if (!config.user().isEmpty()) options.userInfo(config.user().toCharArray(), config.password().value().toCharArray());
        if (config.token().isPresent()) options.token(config.token().value().toCharArray());
        config.credsFile().ifPresent(file -> options.authHandler(Nats.credentials(file.toString())));
        Connection opened = Nats.connect(options.build());
        try {
            this.stream = new JetStreamLog(opened, config, subjects, mapper);
            new RequestReplies(subjects, configs, models, revision, mapper).subscribe(opened);
        } catch (IOException | RuntimeException e) {
            opened.close();
            throw e;
        }
        publisher.forgetCursor();
        up.set(true);
        connection = opened;
        log.info("connected to NATS at {}", opened.getConnectedUrl() == null ? "" : NatsConfig.redactUrl(opened.getConnectedUrl()));
        return opened;
    }

    private void connectionEvent(Connection source, ConnectionListener.Events event) {
        switch (event) {
            case DISCONNECTED -> {
                if (up.getAndSet(false) && !closed) {
                    log.warn("disconnected from NATS; reconnecting (writes go on, events are published on return)");
                }
            }
            case RECONNECTED -> {
                if (!up.getAndSet(true)) log.info("reconnected to NATS");
                reconnected.set(true);
                wake();
            }
            default -> {
            }
        }
    }

    private void failed(Exception e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage();
        if (!reason.equals(lastError)) log.warn("NATS bridge: {}; retrying", reason);
        lastError = reason;
    }

    private void recovered() {
        retryWait = FIRST_RETRY_WAIT;
        if (lastError != null) log.info("NATS bridge: working again");
        lastError = null;
    }

    private void disconnect() {
        Connection current = connection;
        if (current == null) return;
        Thread.interrupted(); // close() interrupted this thread; the connection still closes properly
        try {
            current.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops publishing and answering within {@link #CLOSE_BOUND}; what the stream lacks is published after a restart. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(CLOSE_BOUND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The client's own reports of reconnect attempts would fill the log while the broker is down; the bridge says it once. */
    private static final class QuietErrors implements ErrorListener {
        private volatile String last;

        /** The broker's own errors (an authorization refused, a permission missing), once each until another comes. */
        @Override
        public void errorOccurred(Connection connection, String error) {
            if (!error.equals(last)) log.warn("NATS: {}", error);
            last = error;
        }

        @Override
        public void exceptionOccurred(Connection connection, Exception exception) {
            log.debug("NATS: {}", exception.toString());
        }
    }
}
