package dev.switchboard.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;

import java.util.Iterator;
import java.util.Map;

/**
 * The body sent to one target: the caller's, with {@code model} rewritten to the provider's own id and the
 * configuration's params applied at the top level — a param the request sets itself keeps the request's value,
 * unless the configuration fixes it; a param the request lacks is added at the end. Everything else passes as
 * the caller sent it, byte for byte and in its order: the members are copied from the caller's bytes, so a
 * long conversation costs a copy, not a parse and a serialisation.
 */
final class UpstreamBody {
    private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

    private UpstreamBody() {
    }

    static Buffer of(ObjectMapper mapper, CallerBody request, Target target) throws JsonProcessingException {
        byte[] bytes = request.bytes();
        Buffer body = Buffer.buffer(bytes.length + 64).appendByte((byte) '{');
        boolean first = true;
        for (CallerBody.Member member : request.members()) {
            if (!first) body.appendByte((byte) ',');
            first = false;
            String name = member.name();
            if (name.equals("model")) {
                name(body, name).appendBytes(quoted(target.model()));
            } else if (target.fixedParams().contains(name) && target.params().has(name)) {
                name(body, name).appendBytes(mapper.writeValueAsBytes(target.params().get(name)));
            } else {
                body.appendBytes(bytes, member.start(), member.end() - member.start());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> params = target.params().fields(); params.hasNext(); ) {
            Map.Entry<String, JsonNode> param = params.next();
            String name = param.getKey();
            if (name.equals("model") || request.has(name)) continue; // the target names the model; present ones are done
            if (!first) body.appendByte((byte) ',');
            first = false;
            name(body, name).appendBytes(mapper.writeValueAsBytes(param.getValue()));
        }
        return body.appendByte((byte) '}');
    }

    private static Buffer name(Buffer body, String name) {
        return body.appendBytes(quoted(name)).appendByte((byte) ':');
    }

    private static byte[] quoted(String text) {
        byte[] escaped = QUOTE.quoteAsUTF8(text);
        byte[] quoted = new byte[escaped.length + 2];
        quoted[0] = '"';
        System.arraycopy(escaped, 0, quoted, 1, escaped.length);
        quoted[quoted.length - 1] = '"';
        return quoted;
    }
}
