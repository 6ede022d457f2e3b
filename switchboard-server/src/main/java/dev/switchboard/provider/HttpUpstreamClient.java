package dev.switchboard.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * The {@link UpstreamClient} of the running server, on the JDK {@link HttpClient}.
 *
 * <p>Every call is bounded: one per-request timeout covers connecting, the response headers and the
 * whole body (a server that sends headers and then stalls fails on time), the body is capped while
 * it streams, and {@link #withDeadline} adds a total deadline shared by all the pages of one fetch.
 * {@link #close()} aborts every call in flight at once, so a hung upstream never delays shutdown;
 * interrupting the calling thread aborts its call too.
 *
 * <p>Failure reasons never contain the request's query string or header values, where credentials
 * travel. {@code file:} URIs are read from disk under the same size cap (a bundled sample registry).
 *
 * <p>Redirects are followed here, not by the JDK, and only within the origin (scheme, host, port) of
 * the URL asked for, at most {@link #MAX_REDIRECTS} hops: the request's headers and query carry the
 * provider's credentials, and another origin must never receive them (nor its answer reach an
 * operator's {@code last_error}). A redirect elsewhere fails with the new location, for the operator
 * to decide. A call made under a {@link UrlPolicy} checks every hop against it right before
 * connecting, with the address the host resolves to then.
 */
public final class HttpUpstreamClient implements UpstreamClient, AutoCloseable {
    private static final String USER_AGENT = "switchboard";
    /** Same-origin redirects followed for one call (the JDK's own default bound). */
    static final int MAX_REDIRECTS = 5;
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    /** The redirects that repeat the request as it was, method and body included. */
    private static final Set<Integer> KEEPS_METHOD = Set.of(307, 308);

    private final Duration requestTimeout;
    private final long maxResponseBytes;
    private final ObjectMapper mapper;
    private final JsonBodyParser parser;
    private final Clock clock;
    private final HttpClient http;
    private final Set<UpstreamCall> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public HttpUpstreamClient(Duration requestTimeout, long maxResponseBytes, ObjectMapper mapper) {
        this(requestTimeout, maxResponseBytes, mapper, Clock.systemUTC());
    }

    /** As above, with the clock that {@link #withDeadline} deadlines are compared against. */
    public HttpUpstreamClient(Duration requestTimeout, long maxResponseBytes, ObjectMapper mapper, Clock clock) {
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive, was " + requestTimeout);
        }
        if (maxResponseBytes <= 0) {
            throw new IllegalArgumentException("max response bytes must be positive, was " + maxResponseBytes);
        }
        this.requestTimeout = requestTimeout;
        this.maxResponseBytes = maxResponseBytes;
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.parser = new JsonBodyParser(mapper);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public JsonNode getJson(URI uri, Map<String, String> headers) throws FetchException, InterruptedException {
        return call(uri, headers, null, null, Optional.empty());
    }

    @Override
    public JsonNode postJson(URI uri, Map<String, String> headers, JsonNode body) throws FetchException, InterruptedException {
        return call(uri, headers, jsonBytes(body), null, Optional.empty());
    }

    /** A view of this client whose calls also fail once {@code deadline} has passed, whatever page they are on. */
    public UpstreamClient withDeadline(Instant deadline) {
        return new Bounded(this, Objects.requireNonNull(deadline, "deadline"), Optional.empty());
    }

    /**
     * As {@link #withDeadline(Instant)}, for a provider whose URL the {@code policy} governs (created
     * through the API): every request, redirect hops included, is refused when the policy refuses its
     * URL at that moment. A name that resolved to a public address when the provider was created may
     * resolve to a metadata address later (DNS rebinding); the connection then reuses the address just
     * checked, from the JVM's resolver cache.
     */
    public UpstreamClient withDeadline(Instant deadline, UrlPolicy policy) {
        Objects.requireNonNull(deadline, "deadline");
        return new Bounded(this, deadline, Optional.of(Objects.requireNonNull(policy, "policy")));
    }

    /** The calls of one fetch: the client's, under a total deadline and maybe a URL policy. */
    private record Bounded(HttpUpstreamClient client, Instant deadline, Optional<UrlPolicy> policy) implements UpstreamClient {
        @Override
        public JsonNode getJson(URI uri, Map<String, String> headers) throws FetchException, InterruptedException {
            return client.call(uri, headers, null, deadline, policy);
        }

        @Override
        public JsonNode postJson(URI uri, Map<String, String> headers, JsonNode body) throws FetchException, InterruptedException {
            return client.call(uri, headers, client.jsonBytes(body), deadline, policy);
        }
    }

    private byte[] jsonBytes(JsonNode body) throws FetchException {
        try {
            return mapper.writeValueAsBytes(Objects.requireNonNull(body, "body"));
        } catch (JsonProcessingException e) {
            throw new FetchException("request body cannot be written as JSON");
        }
    }

    /** Aborts every call in flight; they and every later call fail with "shutting down". */
    @Override
    public void close() {
        closed = true;
        var shutdown = new ClientClosedException();
        inFlight.forEach(call -> call.abort(shutdown));
        http.shutdownNow();
    }

    /** @param postBody the JSON to POST, or null for a GET */
    private JsonNode call(URI uri, Map<String, String> headers, byte[] postBody, Instant deadline, Optional<UrlPolicy> policy)
            throws FetchException, InterruptedException {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(headers, "headers");
        var redactor = Redactor.forRequest(uri, headers);
        try {
            Budget budget = budget(deadline);
            return parser.parse(read(uri, headers, postBody, budget, policy, redactor), redactor);
        } catch (FetchException e) {
            // Excerpts are redacted before they are cut short (a cut key would no longer match);
            // this last pass covers every other reason, whatever produced it.
            throw e.withReason(redactor.redact(e.getMessage()));
        }
    }

    private byte[] read(URI uri, Map<String, String> headers, byte[] postBody, Budget budget, Optional<UrlPolicy> policy,
                        Redactor redactor) throws FetchException, InterruptedException {
        if (policy.isPresent()) requireAllowed(uri, policy.get());
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "file" -> {
                if (postBody != null) throw new FetchException("cannot POST to a file: URL");
                yield LocalFiles.read(uri, maxResponseBytes);
            }
            case "http", "https" -> fetch(uri, headers, postBody, budget, policy, redactor);
            default -> throw new FetchException("unsupported URL scheme \"" + scheme + "\"");
        };
    }

    /** How long one call may take: the request timeout, or less when the total deadline is nearer. */
    private record Budget(Duration limit, boolean deadlineBinds) {
    }

    private Budget budget(Instant deadline) throws FetchException {
        if (closed) throw new FetchException(FailureReasons.SHUTTING_DOWN);
        if (deadline == null) return new Budget(requestTimeout, false);
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) throw new FetchException(FailureReasons.DEADLINE_EXCEEDED);
        return left.compareTo(requestTimeout) < 0 ? new Budget(left, true) : new Budget(requestTimeout, false);
    }

    /**
     * The body of a 2xx answer, following same-origin redirects; all hops share the call's budget. A POST
     * follows only 307 and 308, which keep the method and body; other redirects fail it as the answer they are.
     */
    private byte[] fetch(URI first, Map<String, String> headers, byte[] postBody, Budget budget, Optional<UrlPolicy> policy,
                         Redactor redactor) throws FetchException, InterruptedException {
        long endNanos = System.nanoTime() + budget.limit().toNanos();
        URI uri = first;
        for (int redirects = 0; ; redirects++) {
            HttpResponse<byte[]> response = exchange(uri, headers, postBody, budget,
                    Duration.ofNanos(endNanos - System.nanoTime()));
            Optional<URI> next = postBody != null && !KEEPS_METHOD.contains(response.statusCode())
                    ? Optional.empty()
                    : redirectTarget(response, uri);
            if (next.isEmpty()) return successBody(response, uri, redactor);
            if (!sameOrigin(first, next.get())) throw new FetchException(FailureReasons.crossOriginRedirect(next.get()));
            if (redirects == MAX_REDIRECTS) throw new FetchException(FailureReasons.tooManyRedirects(first, MAX_REDIRECTS));
            uri = next.get();
            if (policy.isPresent()) requireAllowed(uri, policy.get());
        }
    }

    private static void requireAllowed(URI uri, UrlPolicy policy) throws FetchException {
        Optional<String> refusal = policy.refusal(uri);
        if (refusal.isPresent()) throw new FetchException("refused " + FailureReasons.where(uri) + ": " + refusal.get());
    }

    /** Where a redirect answer points, resolved against the URL that answered; empty for any other answer. */
    private static Optional<URI> redirectTarget(HttpResponse<byte[]> response, URI from) throws FetchException {
        if (!REDIRECTS.contains(response.statusCode())) return Optional.empty();
        Optional<String> location = response.headers().firstValue("location");
        if (location.isEmpty()) return Optional.empty(); // reported as the non-2xx answer it is
        try {
            URI target = from.resolve(new URI(location.get().strip()));
            if (target.getHost() == null) throw new URISyntaxException(location.get(), "no host");
            return Optional.of(target);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new FetchException("HTTP " + response.statusCode() + " from " + FailureReasons.where(from)
                    + " with an invalid Location");
        }
    }

    /** Same scheme, host and port (an absent port is the scheme's default). */
    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() >= 0) return uri.getPort();
        return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    private HttpResponse<byte[]> exchange(URI uri, Map<String, String> headers, byte[] postBody, Budget budget,
                                          Duration left) throws FetchException, InterruptedException {
        HttpRequest request = request(uri, headers, postBody);
        var call = new UpstreamCall(maxResponseBytes);
        inFlight.add(call);
        try {
            // Checked after registering, so a close() running concurrently either sees this call or is seen here.
            if (closed) throw new FetchException(FailureReasons.SHUTTING_DOWN);
            if (left.isNegative() || left.isZero()) throw new TimeoutException();
            call.start(http, request);
            return call.await(left);
        } catch (TimeoutException e) {
            call.abort(e);
            throw new FetchException(budget.deadlineBinds()
                    ? FailureReasons.DEADLINE_EXCEEDED
                    : FailureReasons.timedOut(requestTimeout));
        } catch (InterruptedException e) {
            call.abort(e);
            throw e;
        } catch (ExecutionException e) {
            throw new FetchException(closed
                    ? FailureReasons.SHUTTING_DOWN
                    : FailureReasons.ofError(e.getCause(), requestTimeout));
        } finally {
            inFlight.remove(call);
            call.end();
        }
    }

    private static byte[] successBody(HttpResponse<byte[]> response, URI uri, Redactor redactor)
            throws FetchException {
        if (!UpstreamCall.isSuccess(response.statusCode())) {
            String body = redactor.redact(new String(response.body(), StandardCharsets.UTF_8));
            throw new FetchException(FailureReasons.httpStatus(response.statusCode(), uri, body), response.statusCode());
        }
        return response.body();
    }

    private HttpRequest request(URI uri, Map<String, String> headers, byte[] postBody) throws FetchException {
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(uri);
        } catch (IllegalArgumentException e) {
            throw new FetchException("invalid upstream URL " + FailureReasons.where(uri));
        }
        if (postBody == null) {
            builder.GET();
        } else {
            builder.POST(HttpRequest.BodyPublishers.ofByteArray(postBody)).header("Content-Type", "application/json");
        }
        builder.timeout(requestTimeout)
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT);
        for (var header : headers.entrySet()) {
            try {
                builder.setHeader(header.getKey(), header.getValue());
            } catch (IllegalArgumentException e) {
                // The JDK refuses some names (Host, Connection …); the value is not quoted, it may be a secret.
                throw new FetchException("request header \"" + header.getKey() + "\" cannot be sent");
            }
        }
        return builder.build();
    }

    /** Why calls in flight ended when the client closed. */
    private static final class ClientClosedException extends IOException {
        ClientClosedException() {
            super(FailureReasons.SHUTTING_DOWN, null);
        }
    }
}
