package dev.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Problem;
import dev.switchboard.gateway.CallerBody;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/** Parsing of what clients send: JSON bodies, {@code If-Match} versions, boolean flags. */
final class RequestBodies {
    private final JsonBodyReader reader;

    RequestBodies(ObjectMapper mapper) {
        this.reader = new JsonBodyReader(mapper);
    }

    JsonNode json(RoutingContext ctx) {
        var body = ctx.body();
        if (body == null || body.buffer() == null || body.length() == 0) {
            throw new Problem.Invalid("a JSON body is required", Map.of());
        }
        return reader.read(body.buffer().getBytes());
    }

    /**
     * A gateway body ({@link JsonBodyReader#readMembers}): the same rules and refusals as {@link #json}; null when
     * it is JSON but not an object.
     */
    CallerBody callerBody(Buffer body) {
        if (body == null || body.length() == 0) throw new Problem.Invalid("a JSON body is required", Map.of());
        return reader.readMembers(body.getBytes());
    }

    /**
     * The body as a JSON object with no field but {@code fields}: a misspelt field is refused (400 naming
     * it) rather than ignored, as the configuration and provider readers do.
     *
     * @param what what the body is for, as the message names it ("a rollback")
     */
    JsonNode object(RoutingContext ctx, String what, Set<String> fields) {
        JsonNode body = json(ctx);
        if (!body.isObject()) throw new Problem.Invalid(what + " body must be a JSON object", Map.of());
        Map<String, String> unknown = new LinkedHashMap<>();
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) unknown.put(name, "unknown field");
        }
        if (!unknown.isEmpty()) {
            throw new Problem.Invalid("unknown field" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown.keySet())
                    + " in " + what + " body; it takes " + String.join(", ", new TreeSet<>(fields)), unknown);
        }
        return body;
    }

    /** {@code If-Match: "3"} (or {@code W/"3"}, or {@code 3}) as a version; absent or {@code *} is empty. */
    static OptionalLong ifMatch(RoutingContext ctx) {
        String header = ctx.request().getHeader("If-Match");
        if (header == null || header.isBlank() || header.trim().equals("*")) return OptionalLong.empty();
        String value = header.trim();
        if (value.startsWith("W/")) value = value.substring(2);
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) value = value.substring(1, value.length() - 1);
        try {
            return OptionalLong.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new Problem.Invalid("If-Match must be a configuration version such as \"3\", got " + header, Map.of());
        }
    }

    static boolean flag(RoutingContext ctx, String name, boolean fallback) {
        String value = ctx.queryParams().get(name);
        if (value == null) return fallback;
        if (value.equals("true") || value.isEmpty()) return true;
        if (value.equals("false")) return false;
        throw new Problem.Invalid(name + " must be true or false, got \"" + value + "\"", Map.of());
    }

    static String etag(long version) {
        return "\"" + version + "\"";
    }
}
