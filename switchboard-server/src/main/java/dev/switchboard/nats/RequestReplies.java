package dev.switchboard.nats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.impl.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Answers {@code {prefix}.bootstrap.{alias}} with the configuration (as {@code GET /api/v1/model-configs/{alias}}
 * renders it, secret-looking params redacted as in events) or {@code {"error":"not_configured"}}, and
 * {@code {prefix}.models} with the {@code /v1/models} body. Every instance answers, from memory, in one queue
 * group: the broker hands each request to one of them. Each reply carries the revision it is at
 * ({@link JetStreamLog#REVISION_HEADER}), so an agent that bootstraps then reads the stream skips the events it
 * already has.
 */
final class RequestReplies {
    private static final Logger log = LoggerFactory.getLogger(RequestReplies.class);
    /** The queue group of every Switchboard instance: one answer per request, whichever instance gives it. */
    static final String QUEUE = "switchboard";
    private static final byte[] NOT_CONFIGURED = "{\"error\":\"not_configured\"}".getBytes(StandardCharsets.UTF_8);

    private final Subjects subjects;
    private final Function<String, Optional<JsonNode>> configs;
    private final Supplier<ModelsBody> models;
    private final LongSupplier revision;
    private final ObjectMapper mapper;

    /**
     * @param configs  the configuration of an alias, rendered for the broker (redacted)
     * @param models   the current {@code /v1/models} body, with its own revision (a large catalog is rendered
     *                 after its revision is applied)
     * @param revision the newest revision this instance has applied; read before the configuration it answers
     *                 with, which is at least that new
     */
    RequestReplies(Subjects subjects, Function<String, Optional<JsonNode>> configs, Supplier<ModelsBody> models,
                   LongSupplier revision, ObjectMapper mapper) {
        this.subjects = subjects;
        this.configs = configs;
        this.models = models;
        this.revision = revision;
        this.mapper = mapper;
    }

    /** Subscribes on {@code connection}; the client subscribes again by itself after each reconnect. */
    void subscribe(Connection connection) {
        Dispatcher dispatcher = connection.createDispatcher();
        dispatcher.subscribe(subjects.bootstrap(), QUEUE, message -> answer(connection, message, this::bootstrap));
        dispatcher.subscribe(subjects.models(), QUEUE, message -> answer(connection, message, this::models));
    }

    private record Answer(long revision, byte[] body) {
    }

    private void answer(Connection connection, Message request, Function<Message, Answer> handler) {
        if (request.getReplyTo() == null) return; // a plain publish asks nothing
        Answer answer;
        try {
            answer = handler.apply(request);
        } catch (RuntimeException e) {
            log.error("cannot answer the NATS request on {}", request.getSubject(), e);
            answer = new Answer(revision.getAsLong(), error("unavailable", "Switchboard could not answer: " + e));
        }
        long maxPayload = connection.getServerInfo().getMaxPayload();
        if (maxPayload > 0 && answer.body().length > maxPayload) {
            answer = new Answer(answer.revision(), error("too_large", "the answer is " + answer.body().length
                    + " bytes, over the broker's max_payload of " + maxPayload + "; read it over HTTP"));
        }
        Headers headers = new Headers().put(JetStreamLog.REVISION_HEADER, Long.toString(answer.revision()));
        connection.publish(request.getReplyTo(), headers, answer.body());
    }

    private Answer bootstrap(Message request) {
        long at = revision.getAsLong();
        Optional<JsonNode> config = subjects.aliasOf(request.getSubject()).flatMap(configs);
        return new Answer(at, config.map(this::bytes).orElse(NOT_CONFIGURED));
    }

    private Answer models(Message request) {
        ModelsBody body = models.get();
        return new Answer(body.revision(), body.json());
    }

    private byte[] error(String type, String message) {
        return bytes(mapper.createObjectNode().put("error", type).put("message", message));
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize an answer", e);
        }
    }
}
