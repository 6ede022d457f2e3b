package dev.switchboard.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.metadata.ModelsDevCatalog;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Persists each metadata source's last-known-good catalog (its normalised form) and status. */
public final class MetadataSourceRepository {
    private final ObjectMapper mapper;

    public MetadataSourceRepository(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public List<MetadataSourceState> loadAll(Handle handle) {
        return handle.createQuery("SELECT * FROM metadata_source").map((rs, ctx) -> read(rs)).list();
    }

    /** Catalog and status; what a change of the served catalog writes. */
    public void save(Handle handle, MetadataSourceState state) {
        Map<String, Object> columns = columns(state);
        columns.put("catalog", write(state.served()));
        columns.put("modelCount", state.served().modelCount());
        int updated = handle.createUpdate("""
                        UPDATE metadata_source SET status = :status, catalog = :catalog, model_count = :modelCount,
                          fetched_at = :fetchedAt, last_success_at = :lastSuccessAt, last_error = :lastError,
                          consecutive_failures = :failures
                        WHERE source_id = :id""").bindMap(columns).execute();
        if (updated == 0) {
            handle.createUpdate("""
                            INSERT INTO metadata_source (source_id, status, catalog, model_count, fetched_at, last_success_at,
                              last_error, consecutive_failures)
                            VALUES (:id, :status, :catalog, :modelCount, :fetchedAt, :lastSuccessAt, :lastError, :failures)""")
                    .bindMap(columns).execute();
        }
    }

    /** Status, times and error only, the catalog unchanged (or, for a source never stored, an empty one). */
    public void saveStatus(Handle handle, MetadataSourceState state) {
        int updated = handle.createUpdate("""
                        UPDATE metadata_source SET status = :status, fetched_at = :fetchedAt,
                          last_success_at = :lastSuccessAt, last_error = :lastError, consecutive_failures = :failures
                        WHERE source_id = :id""").bindMap(columns(state)).execute();
        if (updated == 0) save(handle, state);
    }

    /** Removes the rows of sources no longer configured. */
    /** When each stored source last succeeded: what an instance compares to learn that another one stored a catalog. */
    public Map<String, Optional<Instant>> successStamps(Handle handle) {
        Map<String, Optional<Instant>> stamps = new HashMap<>();
        handle.createQuery("SELECT source_id, last_success_at FROM metadata_source")
                .map((rs, ctx) -> Map.entry(rs.getString("source_id"), instant(rs, "last_success_at")))
                .forEach(entry -> stamps.put(entry.getKey(), entry.getValue()));
        return stamps;
    }

    public Optional<MetadataSourceState> find(Handle handle, String sourceId) {
        return handle.createQuery("SELECT * FROM metadata_source WHERE source_id = :id").bind("id", sourceId)
                .map((rs, ctx) -> read(rs)).findOne();
    }

    public void deleteAllExcept(Handle handle, Collection<String> keep) {
        List<String> stale = handle.createQuery("SELECT source_id FROM metadata_source").mapTo(String.class).list()
                .stream().filter(id -> !keep.contains(id)).toList();
        for (String id : stale) {
            handle.createUpdate("DELETE FROM metadata_source WHERE source_id = :id").bind("id", id).execute();
        }
    }

    private static Map<String, Object> columns(MetadataSourceState s) {
        Map<String, Object> columns = new HashMap<>();
        columns.put("id", s.sourceId());
        columns.put("status", s.status().wireName());
        columns.put("fetchedAt", s.fetchedAt().map(Timestamp::from).orElse(null));
        columns.put("lastSuccessAt", s.lastSuccessAt().map(Timestamp::from).orElse(null));
        columns.put("lastError", s.lastError().map(r -> r.length() <= 2000 ? r : r.substring(0, 1997) + "...").orElse(null));
        columns.put("failures", s.consecutiveFailures());
        return columns;
    }

    private MetadataSourceState read(ResultSet rs) throws SQLException {
        ModelsDevCatalog catalog;
        try {
            catalog = ModelsDevCatalog.fromJson(mapper.readTree(rs.getString("catalog")));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalStateException("metadata_source holds an unreadable catalog for " + rs.getString("source_id"), e);
        }
        return new MetadataSourceState(rs.getString("source_id"), ProviderStatus.fromWireName(rs.getString("status")),
                catalog, Optional.empty(), instant(rs, "fetched_at"), instant(rs, "last_success_at"),
                Optional.ofNullable(rs.getString("last_error")), rs.getInt("consecutive_failures"));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getTimestamp(column)).map(Timestamp::toInstant);
    }

    private String write(ModelsDevCatalog catalog) {
        try {
            return mapper.writeValueAsString(catalog.toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a metadata catalog", e);
        }
    }
}
