package dev.switchboard.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.switchboard.events.ChangeEvent;
import org.jdbi.v3.core.Handle;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/** The persisted change feed. Appends happen inside the transaction of the change they describe. */
public final class EventRepository {
    private final ObjectMapper mapper;

    public EventRepository(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public void append(Handle handle, ChangeEvent event) {
        handle.createUpdate("INSERT INTO event_log (revision, type, occurred_at, data) VALUES (:revision, :type, :time, :data)")
                .bind("revision", event.revision())
                .bind("type", event.type())
                .bind("time", Timestamp.from(event.time()))
                .bind("data", event.data().toString())
                .execute();
    }

    /** Events after {@code revision}, oldest first, at most {@code limit}; unreadable data as a {@link MissingNode}. */
    public List<ChangeEvent> after(Handle handle, long revision, int limit) {
        return handle.createQuery("SELECT revision, type, occurred_at, data FROM event_log WHERE revision > :revision ORDER BY revision LIMIT :limit")
                .bind("revision", revision)
                .bind("limit", limit)
                .map((rs, ctx) -> new ChangeEvent(rs.getLong("revision"), rs.getString("type"),
                        rs.getTimestamp("occurred_at").toInstant(), parse(rs.getString("data"))))
                .list();
    }

    /**
     * Removes the events that every rule lets go: older than {@code before}, not among the newest
     * {@code keepNewest}, and below {@code keepFrom} (the oldest revision a subscriber still has to read).
     */
    public int prune(Handle handle, Instant before, long keepNewest, long keepFrom) {
        long newest = handle.createQuery("SELECT COALESCE(MAX(revision), 0) FROM event_log").mapTo(Long.class).one();
        return handle.createUpdate("DELETE FROM event_log WHERE occurred_at < :before AND revision <= :floor")
                .bind("before", Timestamp.from(before))
                .bind("floor", Math.min(newest - keepNewest, keepFrom - 1))
                .execute();
    }

    /**
     * Stored data that cannot be read (not JSON, or nested deeper than the reader allows) comes back as a
     * {@link MissingNode}: one bad row must not make every read across it fail. The feed sends that event
     * without its data and logs it.
     */
    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }
}
