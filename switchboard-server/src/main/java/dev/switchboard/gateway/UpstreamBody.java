package dev.switchboard.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.buffer.Buffer;

import java.util.Iterator;
import java.util.Map;

/**
 * The body sent to one target: the caller's, with {@code model} rewritten to the provider's own id and the
 * configuration's params applied at the top level — a param the request sets itself keeps the request's value,
 * unless the configuration fixes it. Everything else passes as the caller sent it, in its order.
 */
final class UpstreamBody {
    private UpstreamBody() {
    }

    static Buffer of(ObjectMapper mapper, ObjectNode request, Target target) throws JsonProcessingException {
        ObjectNode body = mapper.createObjectNode();
        body.setAll(request); // a shallow copy: the members are shared with the request, never changed
        body.put("model", target.model());
        for (Iterator<Map.Entry<String, JsonNode>> params = target.params().fields(); params.hasNext(); ) {
            Map.Entry<String, JsonNode> param = params.next();
            String name = param.getKey();
            if (name.equals("model")) continue; // the target names the model
            if (!body.has(name) || target.fixedParams().contains(name)) body.set(name, param.getValue());
        }
        return Buffer.buffer(mapper.writeValueAsBytes(body));
    }
}
