package dev.switchboard.provider;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes the credentials a request carried from text that may reach an operator. Upstreams echo
 * what they were sent (a rejected key, the request URL with Gemini's {@code ?key=}), and JDK or
 * parser messages may quote it too, so every reason passes through here before it leaves the client.
 * Echoes are not always verbatim: a secret is also hidden base64-encoded (alone, or inside a longer
 * encoded run such as Basic auth's {@code user:key}) and with characters escaped as JSON allows
 * (a backslash and {@code u} with four hex digits, or an escaped slash).
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

    /** A JSON escape that may hide a character of a secret: backslash-u and four hex digits, or backslash-slash. */
    private static final Pattern JSON_ESCAPE = Pattern.compile("\\\\(?:u([0-9a-fA-F]{4})|/)");

    Redactor {
        secrets = secrets.stream()
                .filter(s -> s.length() >= MIN_SECRET_LENGTH)
                .flatMap(s -> Stream.concat(Stream.of(s), base64Forms(s).stream()))
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
        String result = mask(text);
        if (!JSON_ESCAPE.matcher(result).find()) return result;
        // Read the escapes and look again; the reason then shows the text unescaped, which only matters
        // when a secret was found in it.
        String unescaped = unescape(result);
        String masked = mask(unescaped);
        return masked.equals(unescaped) ? result : masked;
    }

    private String mask(String text) {
        String result = text;
        for (String secret : secrets) result = result.replace(secret, MASK);
        return result;
    }

    private static String unescape(String text) {
        return JSON_ESCAPE.matcher(text).replaceAll(escape -> Matcher.quoteReplacement(escape.group(1) == null
                ? "/" : String.valueOf((char) Integer.parseInt(escape.group(1), 16))));
    }

    /**
     * How {@code secret} reads base64-encoded, in the standard and the URL-safe alphabet: whole (with and
     * without padding), and, for each of the three byte positions it may start at inside a longer encoded
     * run, the groups of four characters that encode its bytes alone (the groups it shares with the bytes
     * around it differ with them, and hold at most two of its bytes).
     */
    private static List<String> base64Forms(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        var forms = new ArrayList<String>();
        for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
            String whole = encoder.encodeToString(bytes);
            forms.add(whole);
            forms.add(whole.replace("=", ""));
            for (int offset = 0; offset < 3; offset++) {
                byte[] shifted = new byte[offset + bytes.length];
                System.arraycopy(bytes, 0, shifted, offset, bytes.length);
                String encoded = encoder.encodeToString(shifted);
                int start = offset == 0 ? 0 : 4;
                int end = 4 * (shifted.length / 3);
                if (end - start >= MIN_SECRET_LENGTH) forms.add(encoded.substring(start, end));
            }
        }
        return forms;
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
