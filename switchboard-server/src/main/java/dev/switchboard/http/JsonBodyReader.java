package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.switchboard.gateway.CallerBody;
import dev.switchboard.Problem;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one reader of JSON that clients send: exactly one value, at most {@link #MAX_DEPTH} levels deep, every
 * number finite. Whatever it accepts can be stored, put in an event and sent back inside any answer. The
 * size limit comes before it: the body handler answers 413 above {@code server.max_body_size}.
 *
 * <p>The body is scanned token by token first, so a refusal names the field at fault, then read into a tree.
 */
final class JsonBodyReader {
    /**
     * Deepest nesting of objects and arrays in a body, the body itself being level 1. Real bodies use a few
     * levels; Jackson refuses to write past 1 000, and events and answers wrap a body in a few more, so an
     * unbounded body could commit and then never be rendered again.
     */
    static final int MAX_DEPTH = 32;

    private final ObjectMapper mapper;

    JsonBodyReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The body as a tree; a 400 naming the field when it breaks a rule, or when it is not JSON. */
    JsonNode read(byte[] body) {
        try {
            if (!check(body, null)) throw new Problem.Invalid("a JSON body is required", Map.of());
            return mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new Problem.Invalid("unreadable body", Map.of());
        }
    }

    /**
     * The body as the gateway takes it, in one pass: the same rules and refusals as {@link #read}, and where its
     * top-level members are; null when the body is JSON but not an object.
     */
    CallerBody readMembers(byte[] body) {
        try {
            Members members = new Members(body);
            if (!check(body, members)) throw new Problem.Invalid("a JSON body is required", Map.of());
            return members.object ? new CallerBody(body, List.copyOf(members.byName.values()), members.model) : null;
        } catch (JsonProcessingException e) {
            throw malformed(e);
        } catch (IOException e) {
            throw new Problem.Invalid("unreadable body", Map.of());
        }
    }

    private static Problem malformed(JsonProcessingException e) {
        return new Problem.Invalid("malformed JSON: " + e.getOriginalMessage(), Map.of());
    }

    /** Walks the body's tokens, telling {@code members} (when given) of each; false when it holds no value at all. */
    private boolean check(byte[] body, Members members) throws IOException {
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            int depth = 0;
            JsonToken token = parser.nextToken();
            if (token == null) return false;
            while (true) {
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        if (++depth > MAX_DEPTH) throw tooDeep(parser.getParsingContext());
                    }
                    case END_OBJECT, END_ARRAY -> depth--;
                    case VALUE_NUMBER_FLOAT -> {
                        if (!Double.isFinite(parser.getDoubleValue())) throw outOfRange(parser.getParsingContext());
                    }
                    default -> {
                    }
                }
                if (members != null) members.token(parser, token, depth);
                if (depth == 0) break;
                token = parser.nextToken();
            }
            requireEnd(parser);
            return true;
        }
    }

    /**
     * Collects the top-level members of an object body as its tokens pass: a member runs from its name to the
     * start of the next name or the closing brace, less the comma and blanks between.
     */
    private static final class Members {
        private final byte[] body;
        private final Map<String, CallerBody.Member> byName = new LinkedHashMap<>();
        private boolean object;
        private boolean started;
        private String name;
        private int nameStart = -1;
        private boolean awaitingValue;
        private JsonNode model = NullNode.getInstance();

        Members(byte[] body) {
            this.body = body;
        }

        void token(JsonParser parser, JsonToken token, int depth) throws IOException {
            if (!started) {
                started = true;
                object = token == JsonToken.START_OBJECT;
                return;
            }
            if (!object) return;
            if (depth == 1 && token == JsonToken.FIELD_NAME) {
                close(offset(parser));
                name = parser.currentName();
                nameStart = offset(parser);
                awaitingValue = true;
            } else if (awaitingValue) {
                awaitingValue = false;
                if (name.equals("model")) {
                    model = switch (token) {
                        case VALUE_STRING -> TextNode.valueOf(parser.getText());
                        case VALUE_NULL -> NullNode.getInstance();
                        default -> BooleanNode.TRUE; // not a string: refused, whatever it is
                    };
                }
            } else if (depth == 0) {
                close(offset(parser));
            }
        }

        private void close(int next) {
            if (nameStart < 0) return;
            int end = next;
            while (end > nameStart && isBlank(body[end - 1])) end--;
            if (end > nameStart && body[end - 1] == ',') end--;
            while (end > nameStart && isBlank(body[end - 1])) end--;
            CallerBody.Member member = new CallerBody.Member(name, nameStart, end);
            byName.put(name, member); // a repeated name: its last value, at its first place (as a tree keeps it)
            nameStart = -1;
        }

        private static int offset(JsonParser parser) {
            return (int) parser.currentTokenLocation().getByteOffset();
        }

        private static boolean isBlank(byte b) {
            return b == ' ' || b == '\n' || b == '\r' || b == '\t';
        }
    }

    /** Trailing garbage, or a second document, would otherwise be dropped without a word. */
    private static void requireEnd(JsonParser parser) {
        boolean more;
        try {
            more = parser.nextToken() != null;
        } catch (IOException e) {
            more = true;
        }
        if (more) {
            throw new Problem.Invalid("unexpected content after the JSON body: send exactly one JSON value",
                    Map.of("body", "has content after its end"));
        }
    }

    private static Problem tooDeep(JsonStreamContext context) {
        String field = topLevelField(context);
        String rule = "is nested deeper than " + MAX_DEPTH + " levels";
        return new Problem.Invalid((field.equals("body") ? "the body" : field) + " " + rule, Map.of(field, rule));
    }

    private static Problem outOfRange(JsonStreamContext context) {
        String field = path(context);
        String rule = "is a number out of range";
        return new Problem.Invalid(field + " " + rule + " (finite numbers only, at most about 1.8e308)", Map.of(field, rule));
    }

    /** The member of the body that holds {@code context}; {@code body} when the body is not an object. */
    private static String topLevelField(JsonStreamContext context) {
        JsonStreamContext top = context;
        while (top.getParent() != null && !top.getParent().inRoot()) top = top.getParent();
        return top.inObject() && top.getCurrentName() != null ? top.getCurrentName() : "body";
    }

    /** {@code params.limits[1]}: where the current value sits, as a client would write it. */
    private static String path(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) parts.addFirst((c.getParent().inRoot() ? "body" : "") + "[" + Math.max(0, c.getCurrentIndex()) + "]");
            else if (c.getCurrentName() != null) parts.addFirst((c.getParent().inRoot() ? "" : ".") + c.getCurrentName());
        }
        return parts.isEmpty() ? "body" : String.join("", parts);
    }
}
