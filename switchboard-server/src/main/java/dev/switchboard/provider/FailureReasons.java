package dev.switchboard.provider;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns what went wrong with one upstream call into the short reason an operator reads in
 * {@code failed[].reason}. Reasons name the endpoint by scheme, host, port and path only: the query
 * may hold a key (Gemini), and {@link Redactor} hides whatever an upstream echoes back.
 */
final class FailureReasons {
    static final String SHUTTING_DOWN = "shutting down";
    static final String DEADLINE_EXCEEDED = "total deadline exceeded";
    private static final int MAX_EXCERPT_CHARS = 200;

    private FailureReasons() {
    }

    /** The reason for a non-2xx answer, quoting the start of its (already redacted) body. */
    static String httpStatus(int status, URI uri, String body) {
        var reason = new StringBuilder("HTTP ").append(status).append(" from ").append(where(uri));
        if (status == 401 || status == 403) reason.append(" (check the api key)");
        String excerpt = excerpt(body);
        if (!excerpt.isEmpty()) reason.append(": ").append(excerpt);
        return reason.toString();
    }

    /** The reason for a redirect that was not followed because it leads to another origin. */
    static String crossOriginRedirect(URI target) {
        return "redirected to another origin, " + where(target)
                + "; not followed (credentials go to base_url's origin only): update base_url to the new location";
    }

    static String tooManyRedirects(URI first, int max) {
        return "more than " + max + " redirects from " + where(first);
    }

    static String overCap(long maxBytes) {
        return "response body over the " + HumanUnits.bytes(maxBytes) + " cap";
    }

    static String timedOut(Duration timeout) {
        return "timed out after " + HumanUnits.duration(timeout);
    }

    /** The reason for an exchange that failed before a complete response arrived. */
    static String ofError(Throwable error, Duration requestTimeout) {
        var tooLarge = find(error, CappedBodySubscriber.BodyTooLargeException.class);
        if (tooLarge.isPresent()) return tooLarge.get().getMessage();
        if (find(error, HttpConnectTimeoutException.class).isPresent()) {
            return "connect " + timedOut(requestTimeout);
        }
        if (find(error, HttpTimeoutException.class).isPresent()) return timedOut(requestTimeout);
        if (find(error, UnresolvedAddressException.class).isPresent()
                || find(error, UnknownHostException.class).isPresent()) {
            return "unknown host";
        }
        if (find(error, NoRouteToHostException.class).isPresent()) return "no route to host";
        Optional<SSLException> tls = find(error, SSLException.class);
        if (tls.isPresent()) return "TLS failure: " + messageOf(tls.get());
        Optional<ConnectException> connect = find(error, ConnectException.class);
        if (connect.isPresent()) return describeConnectFailure(connect.get());
        return "I/O error: " + messageOf(innermost(error));
    }

    /** Scheme, host, port and path: enough to tell endpoints apart, never the query or user info. */
    static String where(URI uri) {
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        return uri.getScheme() + "://" + uri.getHost() + port + path;
    }

    /** The start of a body on one line, for humans; empty when there is nothing printable. */
    static String excerpt(String body) {
        String text = body
                .replaceAll("[\\p{Cntrl}\\s]+", " ")
                .strip();
        return text.length() <= MAX_EXCERPT_CHARS ? text : text.substring(0, MAX_EXCERPT_CHARS - 1) + "…";
    }

    private static String describeConnectFailure(ConnectException e) {
        String message = e.getMessage();
        if (message == null || message.toLowerCase(Locale.ROOT).contains("refused")) return "connection refused";
        return "connect failed: " + message;
    }

    private static String messageOf(Throwable error) {
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.getClass().getSimpleName() : message;
    }

    private static Throwable innermost(Throwable error) {
        Throwable current = error;
        while (current.getCause() != null && current.getCause() != current) current = current.getCause();
        // JDK wrappers (ExecutionException, CompletionException) say less than what they wrap.
        return current.getMessage() == null ? error : current;
    }

    private static <T extends Throwable> Optional<T> find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) return Optional.of(type.cast(t));
        }
        return Optional.empty();
    }
}
