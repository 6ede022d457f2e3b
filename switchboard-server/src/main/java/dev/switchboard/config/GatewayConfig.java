package dev.switchboard.config;

import java.time.Duration;

/**
 * The {@code [gateway]} section: limits of the OpenAI-compatible inference endpoints
 * ({@code /v1/chat/completions} …). A timeout that fires before the upstream's first byte moves the request
 * to the next fallback; one that fires later ends the answer.
 *
 * @param connectTimeout   longest wait for a connection to an upstream (from the pool, or a new one)
 * @param firstByteTimeout longest wait from sending a request to the upstream's answer starting (its status
 *                         line). A non-streamed answer starts only once it is complete, so this bounds whole
 *                         non-streamed generations too: keep it above the slowest one expected
 * @param idleTimeout      longest silence in the middle of an answer, between two chunks of a stream
 * @param maxRequestBytes  largest request body accepted (413 above)
 */
public record GatewayConfig(Duration connectTimeout, Duration firstByteTimeout, Duration idleTimeout, long maxRequestBytes) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_FIRST_BYTE_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final long DEFAULT_MAX_REQUEST_BYTES = 16L * 1024 * 1024;

    public static GatewayConfig defaults() {
        return new GatewayConfig(DEFAULT_CONNECT_TIMEOUT, DEFAULT_FIRST_BYTE_TIMEOUT, DEFAULT_IDLE_TIMEOUT,
                DEFAULT_MAX_REQUEST_BYTES);
    }

    public GatewayConfig withFirstByteTimeout(Duration timeout) {
        return new GatewayConfig(connectTimeout, timeout, idleTimeout, maxRequestBytes);
    }

    public GatewayConfig withMaxRequestBytes(long bytes) {
        return new GatewayConfig(connectTimeout, firstByteTimeout, idleTimeout, bytes);
    }
}
