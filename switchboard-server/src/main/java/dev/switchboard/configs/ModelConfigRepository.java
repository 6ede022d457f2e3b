package dev.switchboard.configs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.configs.ModelConfig;
import dev.switchboard.configs.ModelConfigSpec;
import dev.switchboard.configs.TargetStatus;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Model configurations and their full history. */
public final class ModelConfigRepository {
    private final ObjectMapper mapper;

    public ModelConfigRepository(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** One version as history keeps it; {@code spec} is empty for a deletion. */
    public record HistoryEntry(String alias, long version, String change, Optional<ModelConfigSpec> spec,
                               Instant updatedAt, String updatedBy, long revision) {
    }

    public List<ModelConfig> loadAll(Handle handle) {
        return handle.createQuery("SELECT * FROM model_config ORDER BY alias").map((rs, ctx) -> read(rs)).list();
    }

    public Optional<ModelConfig> find(Handle handle, String alias) {
        return handle.createQuery("SELECT * FROM model_config WHERE alias = :alias").bind("alias", alias)
                .map((rs, ctx) -> read(rs)).findOne();
    }

    /** The current row, locked until the transaction ends so concurrent editors queue behind it. */
    public Optional<ModelConfig> lock(Handle handle, String alias) {
        return handle.createQuery("SELECT * FROM model_config WHERE alias = :alias FOR UPDATE").bind("alias", alias)
                .map((rs, ctx) -> read(rs)).findOne();
    }

    /** The highest version ever written for the alias, deletions included (0 when never). */
    public long lastVersion(Handle handle, String alias) {
        return handle.createQuery("SELECT COALESCE(MAX(version), 0) FROM model_config_history WHERE alias = :alias")
                .bind("alias", alias).mapTo(Long.class).one();
    }

    public void upsert(Handle handle, ModelConfig config) {
        int updated = handle.createUpdate("""
                        UPDATE model_config SET version = :version, body = :body, target_status = :status,
                          updated_at = :at, updated_by = :by WHERE alias = :alias""")
                .bindMap(columns(config)).execute();
        if (updated == 0) {
            handle.createUpdate("""
                            INSERT INTO model_config (alias, version, body, target_status, updated_at, updated_by)
                            VALUES (:alias, :version, :body, :status, :at, :by)""")
                    .bindMap(columns(config)).execute();
        }
    }

    public void setTargetStatus(Handle handle, String alias, TargetStatus status) {
        handle.createUpdate("UPDATE model_config SET target_status = :status WHERE alias = :alias")
                .bind("status", status.wireName()).bind("alias", alias).execute();
    }

    public void delete(Handle handle, String alias) {
        handle.createUpdate("DELETE FROM model_config WHERE alias = :alias").bind("alias", alias).execute();
    }

    public void appendHistory(Handle handle, HistoryEntry entry) {
        handle.createUpdate("""
                        INSERT INTO model_config_history (alias, version, change, body, updated_at, updated_by, revision)
                        VALUES (:alias, :version, :change, :body, :at, :by, :revision)""")
                .bind("alias", entry.alias()).bind("version", entry.version()).bind("change", entry.change())
                .bind("body", entry.spec().map(this::write).orElse(null))
                .bind("at", Timestamp.from(entry.updatedAt())).bind("by", entry.updatedBy())
                .bind("revision", entry.revision()).execute();
    }

    public List<HistoryEntry> history(Handle handle, String alias) {
        return handle.createQuery("SELECT * FROM model_config_history WHERE alias = :alias ORDER BY version")
                .bind("alias", alias).map((rs, ctx) -> readHistory(rs)).list();
    }

    public Optional<HistoryEntry> version(Handle handle, String alias, long version) {
        return handle.createQuery("SELECT * FROM model_config_history WHERE alias = :alias AND version = :version")
                .bind("alias", alias).bind("version", version).map((rs, ctx) -> readHistory(rs)).findOne();
    }

    private java.util.Map<String, Object> columns(ModelConfig config) {
        var columns = new java.util.HashMap<String, Object>();
        columns.put("alias", config.alias());
        columns.put("version", config.version());
        columns.put("body", write(config.spec()));
        columns.put("status", config.targetStatus().wireName());
        columns.put("at", Timestamp.from(config.updatedAt()));
        columns.put("by", config.updatedBy());
        return columns;
    }

    private ModelConfig read(ResultSet rs) throws SQLException {
        return new ModelConfig(rs.getString("alias"), parse(rs.getString("body")), rs.getLong("version"),
                rs.getTimestamp("updated_at").toInstant(), rs.getString("updated_by"),
                TargetStatus.fromWireName(rs.getString("target_status")));
    }

    private HistoryEntry readHistory(ResultSet rs) throws SQLException {
        String body = rs.getString("body");
        return new HistoryEntry(rs.getString("alias"), rs.getLong("version"), rs.getString("change"),
                Optional.ofNullable(body).map(this::parse), rs.getTimestamp("updated_at").toInstant(),
                rs.getString("updated_by"), rs.getLong("revision"));
    }

    private String write(ModelConfigSpec spec) {
        try {
            return mapper.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a model configuration", e);
        }
    }

    private ModelConfigSpec parse(String json) {
        try {
            return mapper.readValue(json, ModelConfigSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("model_config holds invalid JSON", e);
        }
    }
}
