package dev.switchboard.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.provider.CredentialMask;
import dev.switchboard.provider.UrlPolicy;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * One request through the gateway, from the first attempt to the end of the answer. Every callback runs on the
 * caller's event loop, so the state needs no locks.
 *
 * <p>Each attempt gets a connection ({@code connect_timeout}), sends the rewritten body and waits for the answer
 * to start ({@code first_byte_timeout}). A connect error, that timeout, a connection closed before the answer,
 * 429 or 5xx moves on to the next upstream while there is one; any other answer — and the last upstream's
 * answer, whatever it is — goes to the caller: status and headers at once, then the body chunk by chunk as it
 * comes, the upstream paused whenever the caller's connection cannot take more. From the first byte on there is
 * no going back: a failure midway (silence past {@code idle_timeout}, the upstream closing) closes the caller's
 * connection, so a cut answer never looks whole. A caller who leaves resets the upstream request at once.
 *
 * <p>Credentials go upstream from the provider's configuration only; nothing of the caller's headers is sent
 * on but {@code Accept}. Log lines name the alias, the target and what went wrong — never a URL, a header value
 * or a body.
 */
final class Exchange {
    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    /** The most of an error answer passed on; error bodies are short, and this one is held whole to hide credentials in it. */
    static final int MAX_ERROR_BODY_BYTES = 64 * 1024;

    private final Vertx vertx;
    private final HttpClient client;
    private final GatewayConfig config;
    private final UrlPolicy policy;
    private final GatewayMetrics metrics;
    private final ObjectMapper mapper;
    private final String alias;
    private final List<Upstream> upstreams;
    private final CallerBody body;
    private final HttpServerRequest caller;
    private final HttpServerResponse response;
    private final boolean large;
    private final Promise<Outcome> outcome = Promise.promise();
    private final long started = System.nanoTime();

    private int next;
    private HttpClientRequest current;
    private Upstream answering;
    /** Watches the answer once it started; null before. */
    private IdleWatch idle;
    private Failure lastFailure;
    private boolean done;
    private Upstream seriesOf;
    private GatewayMetrics.Series series;

    Exchange(Vertx vertx, HttpClient client, GatewayConfig config, UrlPolicy policy, GatewayMetrics metrics, ObjectMapper mapper, String alias,
             List<Upstream> upstreams, CallerBody body, HttpServerRequest caller, boolean large) {
        this.large = large;
        this.vertx = vertx;
        this.client = client;
        this.config = config;
        this.policy = policy;
        this.metrics = metrics;
        this.mapper = mapper;
        this.alias = alias;
        this.upstreams = upstreams;
        this.body = body;
        this.caller = caller;
        this.response = caller.response();
    }

    /** What went wrong with one attempt. */
    private record Failure(Upstream upstream, String kind, String reason) {
    }

    Future<Outcome> start() {
        response.closeHandler(v -> cancel());
        attempt();
        return outcome.future();
    }

    private void attempt() {
        if (done) return;
        if (next == upstreams.size()) {
            exhausted();
            return;
        }
        Upstream upstream = upstreams.get(next++);
        if (large) { // written on a worker (see Gateway#INLINE_JSON_BYTES)
            vertx.getOrCreateContext().executeBlocking(() -> UpstreamBody.of(mapper, body, upstream.target()), false).onComplete(written -> {
                if (done) return;
                if (written.failed()) {
                    unwritable(upstream, written.cause());
                } else {
                    connect(upstream, written.result());
                }
            });
            return;
        }
        Buffer payload;
        try {
            payload = UpstreamBody.of(mapper, body, upstream.target());
        } catch (JsonProcessingException | RuntimeException e) {
            unwritable(upstream, e);
            return;
        }
        connect(upstream, payload);
    }

    private void unwritable(Upstream upstream, Throwable cause) {
        failed(upstream, "refused", "the request body cannot be written for it (" + cause.getClass().getSimpleName() + ")");
    }

    private void connect(Upstream upstream, Buffer payload) {
        UpstreamEndpoint endpoint = upstream.endpoint();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(endpoint.host()).setPort(endpoint.port())
                .setSsl(endpoint.ssl()).setURI(endpoint.uri()).setConnectTimeout(config.connectTimeout().toMillis());
        client.request(options).onComplete(connected -> {
            if (connected.failed()) {
                failed(upstream, "connect_error", AttemptChecks.connectReason(endpoint, connected.cause()));
            } else if (done) {
                connected.result().reset();
            } else {
                send(upstream, connected.result(), payload);
            }
        });
    }

    private void send(Upstream upstream, HttpClientRequest request, Buffer payload) {
        Optional<String> refusal = AttemptChecks.addressRefusal(policy, upstream, request);
        if (refusal.isPresent()) {
            request.reset();
            failed(upstream, "refused", refusal.get());
            return;
        }
        current = request;
        ProxyHeaders.upstream(request.headers(), upstream.target().provider(), caller.getHeader(HttpHeaders.ACCEPT));
        request.exceptionHandler(ignored -> { }); // failures arrive through the answer's future, handled there
        request.idleTimeout(config.firstByteTimeout().toMillis());
        request.send(payload).onComplete(answer -> {
            if (done) return;
            if (answer.failed()) {
                current = null;
                Throwable cause = answer.cause();
                if (cause instanceof TimeoutException) {
                    failed(upstream, "first_byte_timeout", "no answer within " + config.firstByteTimeout().toMillis() + " ms");
                } else {
                    failed(upstream, "connection_closed", "the connection failed before the answer ("
                            + cause.getClass().getSimpleName() + ")");
                }
            } else {
                answered(upstream, request, answer.result());
            }
        });
    }

    private void answered(Upstream upstream, HttpClientRequest request, HttpClientResponse answer) {
        int status = answer.statusCode();
        if ((status == 429 || status >= 500) && next < upstreams.size()) {
            current = null;
            request.reset(); // the error's body is of no use, and its connection goes with it
            failed(upstream, status == 429 ? "status_429" : "status_5xx", "answered " + status);
            return;
        }
        answering = upstream;
        if (status >= 400) {
            passError(upstream, request, answer);
            return;
        }
        GatewayMetrics.Series series = series(upstream);
        series.attempt(AttemptChecks.result(status));
        series.firstByte(System.nanoTime() - started);
        MultiMap headers = ProxyHeaders.passOn(answer, response, null, upstream.target().label(), next);
        UsageTap tap = status / 100 == 2 ? new UsageTap() : null;
        idle = new IdleWatch(vertx, config.idleTimeout(), () -> {
            broken(upstream, new TimeoutException());
            answer.exceptionHandler(ignored -> { });
            request.reset();
        });
        answer.handler(chunk -> {
            if (done) return;
            idle.dataArrived();
            if (tap != null) tap.add(chunk);
            response.write(chunk);
            if (response.writeQueueFull()) {
                answer.pause();
                response.drainHandler(v -> answer.resume());
            }
        });
        answer.exceptionHandler(error -> broken(upstream, error));
        answer.endHandler(v -> complete(upstream, tap));
        if (!headers.contains(HttpHeaders.CONTENT_LENGTH)) {
            // a stream: the caller gets the status and headers now, not with the first event
            response.setChunked(true).writeHead();
        }
    }

    /**
     * An error answer to pass on (a 4xx, or the last upstream's 429 or 5xx): read whole, up to
     * {@link #MAX_ERROR_BODY_BYTES}, and passed on with the provider's credentials hidden — an upstream that
     * rejects a key tends to quote it. Until it is passed on, a failure to read it still falls back.
     */
    private void passError(Upstream upstream, HttpClientRequest request, HttpClientResponse answer) {
        Buffer error = Buffer.buffer();
        idle = new IdleWatch(vertx, config.idleTimeout(), () -> {
            current = null;
            answer.exceptionHandler(ignored -> { });
            request.reset();
            failed(upstream, "connection_closed", "silent for more than " + config.idleTimeout().toMillis() + " ms in its "
                    + answer.statusCode() + " answer");
        });
        answer.handler(chunk -> {
            idle.dataArrived();
            int room = MAX_ERROR_BODY_BYTES - error.length();
            if (room > 0) error.appendBuffer(chunk, 0, Math.min(room, chunk.length()));
        });
        answer.exceptionHandler(failure -> {
            current = null;
            idle.stop();
            failed(upstream, "connection_closed", "the connection failed while reading its " + answer.statusCode() + " answer ("
                    + failure.getClass().getSimpleName() + ")");
        });
        answer.endHandler(v -> {
            if (done) return;
            GatewayMetrics.Series series = series(upstream);
            series.attempt(AttemptChecks.result(answer.statusCode()));
            series.firstByte(System.nanoTime() - started);
            CredentialMask mask = CredentialMask.of(upstream.target().provider(), upstream.endpoint().url());
            MultiMap headers = ProxyHeaders.passOn(answer, response, mask, upstream.target().label(), next);
            Buffer body = Buffer.buffer(mask.redact(error.toString(StandardCharsets.UTF_8)), "UTF-8");
            headers.set(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
            response.write(body);
            complete(upstream, null);
        });
    }

    private void complete(Upstream upstream, UsageTap tap) {
        if (done) return;
        done = true;
        current = null;
        idle.stop();
        response.end();
        GatewayMetrics.Series series = series(upstream);
        series.duration(System.nanoTime() - started);
        series.request("answered");
        if (tap != null) {
            UsageTap.Usage usage = tap.usage(mapper);
            series.tokens(usage.prompt(), usage.completion());
        }
        outcome.complete(new Outcome.Answered(upstream.target().label(), next));
    }

    /** The answer had started: nothing to fall back to, and the caller must not take what it got for the whole answer. */
    private void broken(Upstream upstream, Throwable error) {
        if (done) return;
        done = true;
        current = null;
        idle.stop();
        String why = error instanceof TimeoutException ? "silent for more than " + config.idleTimeout().toMillis() + " ms"
                : "the upstream connection failed (" + error.getClass().getSimpleName() + ")";
        log.warn("gateway: the answer of {} for {} stopped midway: {}; closing the caller's connection", upstream.target().label(),
                aliasText(), why);
        series(upstream).request("broken");
        response.reset();
        outcome.complete(new Outcome.Broken(upstream.target().label(), next));
    }

    private void cancel() {
        if (done) return;
        done = true;
        if (idle != null) idle.stop();
        if (current != null) current.reset();
        current = null;
        Upstream upstream = answering != null ? answering : next > 0 ? upstreams.get(next - 1) : upstreams.getFirst();
        series(upstream).request("cancelled");
        outcome.complete(new Outcome.Cancelled());
    }

    private void failed(Upstream upstream, String kind, String reason) {
        if (done) return;
        GatewayMetrics.Series series = series(upstream);
        series.attempt(kind);
        lastFailure = new Failure(upstream, kind, reason);
        boolean more = next < upstreams.size();
        if (more) series.fallback();
        log.warn("gateway: attempt {} of {} for {} to {} failed ({}): {}; {}", next, upstreams.size(), aliasText(),
                upstream.target().label(), kind, reason, more ? "trying " + upstreams.get(next).target().label() : "no fallback left");
        attempt();
    }

    private void exhausted() {
        done = true;
        Failure last = lastFailure;
        boolean timeout = last.kind().equals("first_byte_timeout");
        series(last.upstream()).request("exhausted");
        String message = "no upstream answered for " + aliasText() + " after " + next + (next == 1 ? " attempt" : " attempts")
                + "; the last, " + last.upstream().target().label() + ", failed: " + last.kind().replace('_', ' ')
                + " (details in the server log)";
        outcome.complete(new Outcome.Exhausted(timeout ? 504 : 502, timeout ? "upstream_timeout" : "upstream_unavailable",
                message, last.upstream().target().label(), next));
    }

    private String aliasText() {
        return alias.equals(GatewayMetrics.NO_ALIAS) ? "a catalog id" : "alias \"" + alias + "\"";
    }

    /** The series of {@code upstream}, looked up once for the several records an attempt makes. */
    private GatewayMetrics.Series series(Upstream upstream) {
        if (seriesOf != upstream) {
            series = metrics.series(alias, upstream.target().provider().id());
            seriesOf = upstream;
        }
        return series;
    }
}
