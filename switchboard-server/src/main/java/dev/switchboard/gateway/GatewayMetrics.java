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
 * A request for a catalog id rather than an alias has {@code alias="-"}. Meters are looked up once per tag set.
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
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void request(String alias, String provider, String outcome) {
        counter("switchboard.gateway.requests", "alias", alias, "provider", provider, "outcome", outcome).increment();
    }

    void attempt(String alias, String provider, String result) {
        counter("switchboard.gateway.attempts", "alias", alias, "provider", provider, "result", result).increment();
    }

    void fallback(String alias, String failedProvider) {
        counter("switchboard.gateway.fallbacks", "alias", alias, "provider", failedProvider).increment();
    }

    void firstByte(String alias, String provider, long nanos) {
        timer("switchboard.gateway.first_byte", alias, provider).record(nanos, TimeUnit.NANOSECONDS);
    }

    void duration(String alias, String provider, long nanos) {
        timer("switchboard.gateway.duration", alias, provider).record(nanos, TimeUnit.NANOSECONDS);
    }

    void tokens(String alias, String provider, long prompt, long completion) {
        if (prompt > 0) counter("switchboard.gateway.tokens", "alias", alias, "provider", provider, "type", "prompt").increment(prompt);
        if (completion > 0) {
            counter("switchboard.gateway.tokens", "alias", alias, "provider", provider, "type", "completion").increment(completion);
        }
    }

    /** A request refused before any upstream was called; {@code code} is the error's code ("model_not_found" …). */
    public void rejected(String code) {
        counter("switchboard.gateway.rejected", "code", code).increment();
    }

    private Counter counter(String name, String... tags) {
        return counters.computeIfAbsent(key(name, tags), k -> Counter.builder(name).description(DESCRIPTIONS.get(name)).tags(tags).register(registry));
    }

    private Timer timer(String name, String alias, String provider) {
        return timers.computeIfAbsent(key(name, alias, provider),
                k -> Timer.builder(name).description(DESCRIPTIONS.get(name)).tags("alias", alias, "provider", provider).register(registry));
    }

    private static String key(String name, String... parts) {
        return name + '\u0000' + String.join("\u0000", parts);
    }
}
