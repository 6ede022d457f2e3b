package dev.switchboard.gateway;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.provider.UrlPolicy;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/** What an attempt is checked against, and how its results are named in metrics and log lines. */
final class AttemptChecks {
    private AttemptChecks() {
    }

    /** API-created providers may not reach link-local or metadata addresses; checked on the connection actually made. */
    static Optional<String> addressRefusal(UrlPolicy policy, Upstream upstream, HttpClientRequest request) {
        if (upstream.target().provider().source() != ProviderConfig.Source.API) return Optional.empty();
        SocketAddress remote = request.connection().remoteAddress();
        String ip = remote == null ? null : remote.hostAddress();
        if (ip == null) return Optional.empty();
        try {
            return policy.addressRefusal(upstream.endpoint().host(), InetAddress.getByName(ip)); // a literal: no lookup
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** The {@code result} tag of an attempt that was answered with {@code status}. */
    static String result(int status) {
        if (status == 429) return "status_429";
        if (status >= 500) return "status_5xx";
        if (status >= 400) return "status_4xx";
        return "ok";
    }

    /** Names the address (never the path or query, where a credential may sit) and what the network said. */
    static String connectReason(UpstreamEndpoint endpoint, Throwable cause) {
        String where = endpoint.host() + ":" + endpoint.port();
        if (cause instanceof TimeoutException) return "no connection to " + where + " in time";
        return "cannot connect to " + where + " (" + cause.getClass().getSimpleName() + ")";
    }
}
