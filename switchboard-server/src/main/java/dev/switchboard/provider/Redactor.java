package dev.switchboard.provider;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Removes the credentials a request carried from text that may reach an operator. Upstreams echo
 * what they were sent (a rejected key, the request URL with Gemini's {@code ?key=}), and JDK or
 * parser messages may quote it too, so every reason passes through here before it leaves the client.
 *
 * @param secrets the strings to hide, longest first so that a value containing another is hidden whole
 */
record Redactor(List<String> secrets) {
    static final String MASK = "***";

    /**
     * Values shorter than this cannot be a real credential (a page size, a version number), and
     * masking them everywhere would garble reasons.
     */
    private static final int MIN_SECRET_LENGTH = 6;

    Redactor {
        secrets = secrets.stream()
                .filter(s -> s.length() >= MIN_SECRET_LENGTH)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    /** Hides the query string, every query value, the user info and every header value of a request. */
    static Redactor forRequest(URI uri, Map<String, String> headers) {
        var secrets = new ArrayList<String>();
        addQuery(uri, secrets);
        if (uri.getRawUserInfo() != null) secrets.add(uri.getRawUserInfo());
        for (String value : headers.values()) {
            secrets.add(value);
            // "Bearer <token>": the token alone may be echoed without its scheme.
            int space = value.lastIndexOf(' ');
            if (space >= 0) secrets.add(value.substring(space + 1));
        }
        return new Redactor(secrets);
    }

    String redact(String text) {
        if (text == null) return "";
        String result = text;
        for (String secret : secrets) result = result.replace(secret, MASK);
        return result;
    }

    private static void addQuery(URI uri, List<String> secrets) {
        String rawQuery = uri.getRawQuery();
        if (rawQuery == null) return;
        secrets.add(rawQuery);
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String value = equals < 0 ? pair : pair.substring(equals + 1);
            secrets.add(value);
            secrets.add(decoded(value));
        }
    }

    private static String decoded(String value) {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return value;
        }
    }
}
