package dev.switchboard.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Web origins and host names as {@code [server] allowed_origins} and {@code allowed_hosts} accept them,
 * normalised to the form browsers send in {@code Origin} and {@code Host}, so that the server compares
 * them as plain strings.
 */
final class WebNames {
    private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?");
    private static final Pattern IPV6 = Pattern.compile("\\[?[0-9a-f]*:[0-9a-f]*:[0-9a-f:.]*]?");

    private WebNames() {
    }

    /**
     * {@code scheme://host[:port]} as a browser serialises it: lower case, without the scheme's default port
     * (a browser on {@code https://x} sends {@code Origin: https://x}, never {@code https://x:443}).
     */
    static String origin(String text) {
        URI uri;
        try {
            uri = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw notAnOrigin(text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || !bare) throw notAnOrigin(text);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    /** A host name or IP address as the {@code Host} header carries it: lower case, IPv6 in brackets. */
    static String hostName(String text) {
        String name = text.strip().toLowerCase(Locale.ROOT);
        if (HOST_NAME.matcher(name).matches()) return name;
        if (IPV6.matcher(name).matches()) return name.startsWith("[") ? name : "[" + name + "]";
        throw new IllegalArgumentException("must list host names such as \"switchboard.local\" (no scheme or port), got "
                + Values.quote(text));
    }

    private static IllegalArgumentException notAnOrigin(String text) {
        return new IllegalArgumentException("must list origins such as \"http://localhost:3000\" (scheme, host and port;"
                + " no path), got " + Values.quote(text));
    }
}
