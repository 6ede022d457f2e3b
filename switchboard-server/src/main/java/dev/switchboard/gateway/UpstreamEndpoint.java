package dev.switchboard.gateway;

import java.net.URI;
import java.util.Locale;

/**
 * Where one operation of one provider is sent: {@code {inference base}/chat/completions}.
 *
 * @param uri the path and query to request, e.g. {@code /v1/chat/completions}
 */
record UpstreamEndpoint(String host, int port, boolean ssl, String uri) {

    /** The whole URL, for hiding what its query may carry. */
    URI url() {
        return URI.create((ssl ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + uri);
    }

    /** {@code base} (an absolute http or https URL) joined with {@code suffix}, whether or not the base ends with a slash. */
    static UpstreamEndpoint of(URI base, String suffix) {
        boolean ssl = "https".equals(base.getScheme().toLowerCase(Locale.ROOT));
        int port = base.getPort() >= 0 ? base.getPort() : ssl ? 443 : 80;
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        String joined = (path.endsWith("/") ? path : path + "/") + suffix;
        String query = base.getRawQuery();
        return new UpstreamEndpoint(base.getHost(), port, ssl, query == null ? joined : joined + "?" + query);
    }
}
