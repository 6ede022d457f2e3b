package dev.switchboard.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.catalog.ProviderStatus;
import dev.switchboard.catalog.Snapshot;
import dev.switchboard.provider.Model;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Persists each provider's snapshot; the model list is one JSON document per provider. */
public final class SnapshotRepository {
    private static final TypeReference<List<Model>> MODEL_LIST = new TypeReference<>() {
    };
    private final ObjectMapper mapper;

    public SnapshotRepository(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public List<Snapshot> loadAll(Handle handle) {
        return handle.createQuery("SELECT * FROM provider_snapshot").map((rs, ctx) -> read(rs)).list();
    }

    public Optional<Snapshot> find(Handle handle, String providerId) {
        return handle.createQuery("SELECT * FROM provider_snapshot WHERE provider_id = :id").bind("id", providerId)
                .map((rs, ctx) -> read(rs)).findOne();
    }

    public void save(Handle handle, Snapshot snapshot) {
        int updated = handle.createUpdate("""
                        UPDATE provider_snapshot SET status = :status, models = :models, pending_models = :pending,
                          fetched_at = :fetchedAt, last_success_at = :lastSuccessAt, last_error = :lastError,
                          consecutive_failures = :failures
                        WHERE provider_id = :id""")
                .bindMap(columns(snapshot)).execute();
        if (updated == 0) {
            handle.createUpdate("""
                            INSERT INTO provider_snapshot (provider_id, status, models, pending_models, fetched_at,
                              last_success_at, last_error, consecutive_failures)
                            VALUES (:id, :status, :models, :pending, :fetchedAt, :lastSuccessAt, :lastError, :failures)""")
                    .bindMap(columns(snapshot)).execute();
        }
    }

    /** Updates status, times and error of a snapshot whose models did not change (no model JSON rewritten). */
    public void saveStatus(Handle handle, Snapshot snapshot) {
        handle.createUpdate("""
                        UPDATE provider_snapshot SET status = :status, fetched_at = :fetchedAt,
                          last_success_at = :lastSuccessAt, last_error = :lastError, consecutive_failures = :failures
                        WHERE provider_id = :id""")
                .bindMap(columns(snapshot)).execute();
    }

    public void delete(Handle handle, String providerId) {
        handle.createUpdate("DELETE FROM provider_snapshot WHERE provider_id = :id").bind("id", providerId).execute();
    }

    /** Removes the snapshots of providers that are no longer configured; returns their ids. */
    public List<String> deleteAllExcept(Handle handle, Collection<String> keep) {
        List<String> stale = handle.createQuery("SELECT provider_id FROM provider_snapshot").mapTo(String.class).list()
                .stream().filter(id -> !keep.contains(id)).toList();
        for (String id : stale) {
            handle.createUpdate("DELETE FROM provider_snapshot WHERE provider_id = :id").bind("id", id).execute();
        }
        return stale;
    }

    private java.util.Map<String, Object> columns(Snapshot s) {
        var columns = new java.util.HashMap<String, Object>();
        columns.put("id", s.providerId());
        columns.put("status", s.status().wireName());
        columns.put("models", write(s.models()));
        columns.put("pending", s.pending().isEmpty() ? null : write(s.pending()));
        columns.put("fetchedAt", s.fetchedAt().map(Timestamp::from).orElse(null));
        columns.put("lastSuccessAt", s.lastSuccessAt().map(Timestamp::from).orElse(null));
        columns.put("lastError", s.lastError().map(SnapshotRepository::clip).orElse(null));
        columns.put("failures", s.consecutiveFailures());
        return columns;
    }

    private Snapshot read(ResultSet rs) throws SQLException {
        String pending = rs.getString("pending_models");
        return new Snapshot(rs.getString("provider_id"), ProviderStatus.fromWireName(rs.getString("status")),
                parse(rs.getString("models")), pending == null ? List.of() : parse(pending),
                instant(rs, "fetched_at"), instant(rs, "last_success_at"),
                Optional.ofNullable(rs.getString("last_error")), rs.getInt("consecutive_failures"));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return Optional.ofNullable(timestamp).map(Timestamp::toInstant);
    }

    private static String clip(String reason) {
        return reason.length() <= 2000 ? reason : reason.substring(0, 1997) + "...";
    }

    private String write(List<Model> models) {
        try {
            return mapper.writeValueAsString(models);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize models", e);
        }
    }

    private List<Model> parse(String json) {
        try {
            return mapper.readValue(json, MODEL_LIST);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("provider_snapshot holds invalid JSON", e);
        }
    }
}
