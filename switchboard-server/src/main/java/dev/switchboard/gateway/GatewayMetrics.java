package dev.switchboard.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gateway's Prometheus metrics, tagged by alias and provider ids only — never a model id from a request
 * (unbounded), a prompt or a credential:
 * <ul>
 *   <li>{@code switchboard_gateway_requests_total{alias, provider, outcome}}: requests by how they ended
 *       ({@code answered}, {@code exhausted}: no upstream answered, {@code broken}: the answer stopped midway,
 *       {@code cancelled}: the caller left);</li>
 *   <li>{@code switchboard_gateway_attempts_total{alias, provider, result}}: every upstream attempt, failures by kind
 *       ({@code ok}, {@code status_4xx}, {@code status_429}, {@code status_5xx}, {@code connect_error},
 *       {@code first_byte_timeout}, {@code connection_closed}, {@code refused});</li>
 *   <li>{@code switchboard_gateway_fallbacks_total{alias, provider}}: fallbacks taken, by the provider that failed;</li>
 *   <li>{@code switchboard_gateway_first_byte_seconds} and {@code switchboard_gateway_duration_seconds}
 *       {@code {alias, provider}}: from the request to the answer's start, and to its end;</li>
 *   <li>{@code switchboard_gateway_tokens_total{alias, provider, type}}: {@code prompt} and {@code completion}
 *       tokens from the answer's {@code usage}, when it has one;</li>
 *   <li>{@code switchboard_gateway_rejected_total{code}}: requests refused before any upstream (bad input).</li>
 * </ul>
 * A request for a catalog id rather than an alias has {@code alias="-"}. Meters are registered once per tag set and
 * kept per alias and provider ({@link Series}).
 */
public final class GatewayMetrics {
    /** The alias tag of a request for {@code provider/model}: "-" can never be an alias. */
    static final String NO_ALIAS = "-";

    /** The HELP text of each series. */
    private static final Map<String, String> DESCRIPTIONS = Map.of(
            "switchboard.gateway.requests", "Gateway requests by alias, provider and how they ended (answered, exhausted, broken, cancelled)",
            "switchboard.gateway.attempts", "Upstream attempts of the gateway by alias, provider and result",
            "switchboard.gateway.fallbacks", "Fallbacks taken by the gateway, by the provider that failed",
            "switchboard.gateway.first_byte", "Time from a gateway request to the start of the upstream's answer",
            "switchboard.gateway.duration", "Time from a gateway request to the end of its answer",
            "switchboard.gateway.tokens", "Prompt and completion tokens reported in the upstreams' usage",
            "switchboard.gateway.rejected", "Gateway requests refused before any upstream, by error code");

    private final MeterRegistry registry;
    /** By alias, then provider: two lookups on strings the request holds anyway, no key built per call. */
    private final Map<String, Map<String, Series>> series = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The meters of one alias and provider; an exchange looks them up once per upstream it answers from. */
    Series series(String alias, String provider) {
        Map<String, Series> byProvider = series.get(alias); // a plain read first: computeIfAbsent may lock its bin
        if (byProvider == null) byProvider = series.computeIfAbsent(alias, a -> new ConcurrentHashMap<>());
        Series found = byProvider.get(provider);
        return found != null ? found : byProvider.computeIfAbsent(provider, p -> new Series(alias, p));
    }

    /** A request refused before any upstream was called; {@code code} is the error's code ("model_not_found" …). */
    public void rejected(String code) {
        rejected.computeIfAbsent(code, c -> counter("switchboard.gateway.rejected", "code", c)).increment();
    }

    private Counter counter(String name, String... tags) {
        return Counter.builder(name).description(DESCRIPTIONS.get(name)).tags(tags).register(registry);
    }

    /**
     * The series of one alias and provider, each registered on first use (a series appears once it has counted
     * something) and kept, so that recording is a field read or one small-map lookup.
     */
    final class Series {
        private final String alias;
        private final String provider;
        private final Map<String, Counter> requests = new ConcurrentHashMap<>();
        private final Map<String, Counter> attempts = new ConcurrentHashMap<>();
        private volatile Counter fallbacks;
        private volatile Timer firstByte;
        private volatile Timer duration;
        private volatile Counter promptTokens;
        private volatile Counter completionTokens;

        private Series(String alias, String provider) {
            this.alias = alias;
            this.provider = provider;
        }

        void request(String outcome) {
            requests.computeIfAbsent(outcome, o -> counter("switchboard.gateway.requests", "alias", alias, "provider", provider, "outcome", o))
                    .increment();
        }

        void attempt(String result) {
            attempts.computeIfAbsent(result, r -> counter("switchboard.gateway.attempts", "alias", alias, "provider", provider, "result", r))
                    .increment();
        }

        /** A fallback taken because this provider failed. */
        void fallback() {
            Counter counter = fallbacks;
            if (counter == null) fallbacks = counter = counter("switchboard.gateway.fallbacks", "alias", alias, "provider", provider);
            counter.increment();
        }

        void firstByte(long nanos) {
            Timer timer = firstByte;
            if (timer == null) firstByte = timer = timer("switchboard.gateway.first_byte");
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }

        void duration(long nanos) {
            Timer timer = duration;
            if (timer == null) duration = timer = timer("switchboard.gateway.duration");
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }

        void tokens(long prompt, long completion) {
            if (prompt > 0) {
                Counter counter = promptTokens;
                if (counter == null) promptTokens = counter = tokens("prompt");
                counter.increment(prompt);
            }
            if (completion > 0) {
                Counter counter = completionTokens;
                if (counter == null) completionTokens = counter = tokens("completion");
                counter.increment(completion);
            }
        }

        private Counter tokens(String type) {
            return counter("switchboard.gateway.tokens", "alias", alias, "provider", provider, "type", type);
        }

        /** Registering twice (two event loops at once) is harmless: the registry hands back the meter it has. */
        private Timer timer(String name) {
            return Timer.builder(name).description(DESCRIPTIONS.get(name)).tags("alias", alias, "provider", provider).register(registry);
        }
    }
}
