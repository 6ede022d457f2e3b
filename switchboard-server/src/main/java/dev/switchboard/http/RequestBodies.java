package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Problem;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;
import java.util.OptionalLong;

/** Parsing of what clients send: JSON bodies, {@code If-Match} versions, boolean flags. */
final class RequestBodies {
    private final ObjectMapper mapper;

    RequestBodies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    JsonNode json(RoutingContext ctx) {
        var body = ctx.body();
        if (body == null || body.buffer() == null || body.length() == 0) {
            throw new Problem.Invalid("a JSON body is required", Map.of());
        }
        try {
            return mapper.readTree(body.buffer().getBytes());
        } catch (JsonProcessingException e) {
            throw new Problem.Invalid("malformed JSON: " + e.getOriginalMessage(), Map.of());
        } catch (java.io.IOException e) {
            throw new Problem.Invalid("unreadable body", Map.of());
        }
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
