package dev.switchboard.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.Set;

/**
 * An event as the feed hands it to subscribers: its envelope {@code {revision, type, time, data}} serialized
 * once, however many subscribers send it, and what the filters look at.
 *
 * @param envelope  the envelope as UTF-8 JSON on one line; shared, never modified
 * @param providers provider ids the event concerns ({@link ChangeData#providerIds()})
 * @param aliases   model-configuration aliases the event concerns ({@link ChangeData#aliases()})
 */
public record FeedEvent(long revision, String type, byte[] envelope, Set<String> providers, Set<String> aliases) {
    /** Tells a subscriber it cannot be served its missed events: reload state, then resume from {@code revision}. */
    public static final String RESYNC_REQUIRED = "resync_required";

    public FeedEvent {
        providers = Set.copyOf(providers);
        aliases = Set.copyOf(aliases);
    }

    /**
     * Wraps a logged event, reading its data back into its record to learn what it concerns.
     *
     * @throws IllegalStateException when the event cannot be serialized (see {@link #unrenderable})
     */
    static FeedEvent of(ChangeEvent event, ObjectMapper mapper) {
        ChangeData data = ChangeData.recordOf(event.type()).map(type -> read(mapper, event, type)).orElse(null);
        return new FeedEvent(event.revision(), event.type(), write(mapper, event),
                data == null ? Set.of() : Set.copyOf(data.providerIds()),
                data == null ? Set.of() : Set.copyOf(data.aliases()));
    }

    /**
     * A {@code resync_required} event: not part of the log, its revision is the current one, from which the
     * client resumes after reloading. Its data is {@code {"revision": N, "reason": "..."}}.
     */
    static FeedEvent resyncRequired(long revision, String reason, Instant time, ObjectMapper mapper) {
        JsonNode data = mapper.createObjectNode().put("revision", revision).put("reason", reason);
        ChangeEvent event = new ChangeEvent(revision, RESYNC_REQUIRED, time, data);
        return new FeedEvent(revision, RESYNC_REQUIRED, write(mapper, event), Set.of(), Set.of());
    }

    /**
     * An event that cannot be rendered as it was logged (a bug: its stored data is not readable, or cannot be
     * serialized). It still goes out with its revision, type and time, so the feed does not stop at it: its
     * data keeps only the scalar fields that identify it ({@code alias}, {@code version}, {@code provider_id}
     * …) plus {@code "unrenderable": true}, and a client reloads what it concerns.
     */
    static FeedEvent unrenderable(ChangeEvent event, ObjectMapper mapper) {
        ObjectNode data = mapper.createObjectNode();
        if (event.data() != null && event.data().isObject()) {
            event.data().properties().forEach(field -> {
                if (field.getValue().isValueNode()) data.set(field.getKey(), field.getValue());
            });
        }
        data.put("unrenderable", true);
        ChangeEvent shown = new ChangeEvent(event.revision(), event.type(), event.time(), data);
        return new FeedEvent(event.revision(), event.type(), write(mapper, shown), text(data, "provider_id"), text(data, "alias"));
    }

    private static Set<String> text(JsonNode data, String field) {
        return data.path(field).isTextual() ? Set.of(data.get(field).asText()) : Set.of();
    }

    public boolean isResyncRequired() {
        return RESYNC_REQUIRED.equals(type);
    }

    private static ChangeData read(ObjectMapper mapper, ChangeEvent event, Class<? extends ChangeData> type) {
        try {
            return mapper.treeToValue(event.data(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            return null; // an older shape of the payload: it is still delivered, but matches no filter by id
        }
    }

    private static byte[] write(ObjectMapper mapper, ChangeEvent event) {
        try {
            return mapper.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize event " + event.revision(), e);
        }
    }
}
