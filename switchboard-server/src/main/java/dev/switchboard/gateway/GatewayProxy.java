package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.provider.UrlPolicy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends requests on to upstreams with the Vert.x HTTP client, all on the caller's event loop: nothing blocks,
 * answers stream through with back-pressure both ways, and a caller who leaves cancels the upstream request.
 *
 * <p>One client per event loop, each for every upstream, its connections pooled and kept alive. A client's
 * connections live on the event loop that opened them; shared between loops, a request from one loop on a
 * connection of another would cross threads twice (a wake-up each way) — a third of the proxy's cost on a
 * small machine. Per loop, a request and its upstream connection stay on one thread.
 */
public final class GatewayProxy {
    /**
     * Connections one upstream (host and port) may have open at once. Streamed generations hold theirs for
     * minutes, so this bounds the concurrent calls to one provider; more wait for a free connection, within
     * {@code connect_timeout}.
     */
    static final int MAX_CONNECTIONS_PER_UPSTREAM = 1024;
    /**
     * How long an idle pooled connection is kept. Below the idle limits of common servers and load balancers
     * (nginx 75 s, many cloud balancers 60 s), so the pool rarely hands out a connection the upstream is closing.
     */
    static final int KEEP_ALIVE_SECONDS = 30;

    private final Vertx vertx;
    private final HttpClientOptions options;
    private final PoolOptions pool = new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS_PER_UPSTREAM).setMaxWaitQueueSize(-1);
    /** By event-loop thread: a handful, created on first use, closed with Vert.x. */
    private final Map<Thread, HttpClient> clients = new ConcurrentHashMap<>();
    private final GatewayConfig config;
    private final UrlPolicy policy;
    private final GatewayMetrics metrics;
    private final ObjectMapper mapper;

    public GatewayProxy(Vertx vertx, GatewayConfig config, UrlPolicy policy, GatewayMetrics metrics, ObjectMapper mapper) {
        this.options = new HttpClientOptions()
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .setKeepAlive(true)
                .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                .setTcpNoDelay(true);
        this.vertx = vertx;
        this.config = config;
        this.policy = policy;
        this.metrics = metrics;
        this.mapper = mapper;
    }

    /**
     * Tries {@code upstreams} in order until one answers, and streams that answer to {@code caller}'s response.
     * Must be called on the caller's event loop; completes there.
     *
     * @param alias the alias asked for, or {@link GatewayMetrics#NO_ALIAS}
     * @param large whether the body is large enough to be written for each upstream on a worker
     */
    Future<Outcome> forward(String alias, List<Upstream> upstreams, CallerBody body, HttpServerRequest caller, boolean large) {
        HttpClient client = clients.computeIfAbsent(Thread.currentThread(), loop -> vertx.createHttpClient(options, pool));
        return new Exchange(vertx, client, config, policy, metrics, mapper, alias, upstreams, body, caller, large).start();
    }
}
