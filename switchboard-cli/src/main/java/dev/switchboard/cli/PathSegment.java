package dev.switchboard.cli;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** One segment of a URL path (an alias, a provider or key id), percent-encoded. */
final class PathSegment {
    private PathSegment() {
    }

    /**
     * {@link URLEncoder} encodes for forms, where a space is {@code +}; in a path {@code +} is a plus sign, so a
     * space must be {@code %20}. A literal {@code +} is already {@code %2B}, so every {@code +} left is a space.
     */
    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
