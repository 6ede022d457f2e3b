package dev.switchboard.gateway;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.provider.CredentialMask;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

import java.util.Map;

/**
 * The headers a call carries through the gateway, each way. Upstream: the provider's credential and headers
 * from its configuration, and of the caller's only {@code Accept}. Back to the caller: the answer's, less
 * those that describe the upstream connection rather than the answer (RFC 9110 §7.6.1) and cookies, plus the
 * gateway's own {@code X-Switchboard-Target} and {@code X-Switchboard-Attempts}.
 */
final class ProxyHeaders {
    static final CharSequence TARGET_HEADER = HttpHeaders.createOptimized("X-Switchboard-Target");
    static final CharSequence ATTEMPTS_HEADER = HttpHeaders.createOptimized("X-Switchboard-Attempts");
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence USER_AGENT = HttpHeaders.createOptimized("switchboard");
    /** Compared ignoring case, in place: no lower-cased copy of every answer header. */
    private static final String[] NOT_PASSED_ON = {"connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "te", "trailer", "upgrade", "set-cookie"};

    private ProxyHeaders() {
    }

    /** The upstream request's headers, for {@code provider}; {@code accept} is the caller's {@code Accept}, or null. */
    static void upstream(MultiMap headers, ProviderConfig provider, String accept) {
        headers.set(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON).set(HttpHeaders.USER_AGENT, USER_AGENT);
        headers.set(HttpHeaders.ACCEPT, accept == null ? APPLICATION_JSON : accept);
        if (provider.apiKey().isPresent()) headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + provider.apiKey().value());
        provider.headers().forEach(headers::set);
    }

    /**
     * The answer's status and headers on the caller's response, with every value passed through {@code mask}
     * when given (an error answer may quote a credential); returns the response's headers.
     */
    static MultiMap passOn(HttpClientResponse answer, HttpServerResponse response, CredentialMask mask, String target, int attempts) {
        response.setStatusCode(answer.statusCode());
        if (answer.statusMessage() != null) response.setStatusMessage(answer.statusMessage());
        MultiMap headers = response.headers();
        for (Map.Entry<String, String> header : answer.headers()) {
            if (isHopByHop(header.getKey())) continue;
            headers.add(header.getKey(), mask == null ? header.getValue() : mask.redact(header.getValue()));
        }
        return headers.set(TARGET_HEADER, target).set(ATTEMPTS_HEADER, Integer.toString(attempts));
    }

    private static boolean isHopByHop(String name) {
        for (String hop : NOT_PASSED_ON) {
            if (hop.length() == name.length() && hop.equalsIgnoreCase(name)) return true;
        }
        return false;
    }
}
