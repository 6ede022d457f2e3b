package dev.switchboard.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.metadata.ModelFacts;

import java.util.LinkedHashMap;
import dev.switchboard.config.Secret;
import dev.switchboard.config.ProviderKind;
import dev.switchboard.store.CredentialCipher;
import org.jdbi.v3.core.Handle;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Providers created through the API, their credential encrypted at rest. */
public final class ApiProviderRepository {
    private final ObjectMapper mapper;
    private final CredentialCipher cipher;

    public ApiProviderRepository(ObjectMapper mapper, CredentialCipher cipher) {
        this.mapper = mapper;
        this.cipher = cipher;
    }

    /**
     * The settings kept as one JSON column: everything but id, kind, URL and credential. A field added later
     * ({@code api_base_url}) is absent from older rows and reads as null.
     */
    record Settings(List<String> allowedModels, List<String> deniedModels, List<String> models, Map<String, String> headers,
                    String apiBaseUrl, Map<String, ObjectNode> modelMetadata, String metadataProvider) {
        /** Metadata per model id, in its wire form; absent from rows older than issue 15. */
        Map<String, ModelFacts> metadata() {
            Map<String, ModelFacts> byModel = new LinkedHashMap<>();
            if (modelMetadata != null) modelMetadata.forEach((model, facts) -> byModel.put(model, ModelFacts.parse(facts, model)));
            return byModel;
        }
    }

    public List<ProviderConfig> loadAll(Handle handle) {
        return handle.createQuery("SELECT * FROM api_provider ORDER BY created_at, id").map((rs, ctx) -> read(rs)).list();
    }

    public java.util.Optional<ProviderConfig> find(Handle handle, String id) {
        return handle.createQuery("SELECT * FROM api_provider WHERE id = :id").bind("id", id).map((rs, ctx) -> read(rs)).findOne();
    }

    public void upsert(Handle handle, ProviderConfig provider, Instant now) {
        var columns = new java.util.HashMap<String, Object>();
        columns.put("id", provider.id());
        columns.put("kind", provider.kind().wireName());
        columns.put("url", provider.baseUrl() == null ? null : provider.baseUrl().toString());
        columns.put("key", provider.apiKey().isPresent() ? cipher.encrypt(provider.apiKey().value()) : null);
        columns.put("settings", write(new Settings(provider.allowedModels(), provider.deniedModels(), provider.staticModels(), provider.headers(),
                provider.apiBaseUrl() == null ? null : provider.apiBaseUrl().toString(), metadataJson(provider), provider.metadataProvider())));
        columns.put("now", Timestamp.from(now));
        int updated = handle.createUpdate("""
                UPDATE api_provider SET kind = :kind, base_url = :url, api_key_ciphertext = :key, settings = :settings,
                  updated_at = :now WHERE id = :id""").bindMap(columns).execute();
        if (updated == 0) {
            handle.createUpdate("""
                    INSERT INTO api_provider (id, kind, base_url, api_key_ciphertext, settings, created_at, updated_at)
                    VALUES (:id, :kind, :url, :key, :settings, :now, :now)""").bindMap(columns).execute();
        }
    }

    public void delete(Handle handle, String id) {
        handle.createUpdate("DELETE FROM api_provider WHERE id = :id").bind("id", id).execute();
    }

    private ProviderConfig read(ResultSet rs) throws SQLException {
        Settings settings = parse(rs.getString("settings"));
        String url = rs.getString("base_url");
        String key = rs.getString("api_key_ciphertext");
        return new ProviderConfig(rs.getString("id"), ProviderKind.fromWireName(rs.getString("kind")).orElseThrow(),
                url == null ? null : URI.create(url), key == null ? Secret.NONE : Secret.literal(cipher.decrypt(key)),
                settings.allowedModels(), settings.deniedModels(), settings.models(), settings.headers(), ProviderConfig.Source.API,
                settings.apiBaseUrl() == null ? null : URI.create(settings.apiBaseUrl()), settings.metadata(),
                settings.metadataProvider());
    }

    private static Map<String, ObjectNode> metadataJson(ProviderConfig provider) {
        Map<String, ObjectNode> json = new LinkedHashMap<>();
        provider.modelMetadata().forEach((model, facts) -> json.put(model, facts.toJson()));
        return json;
    }

    private String write(Settings settings) {
        try {
            return mapper.writeValueAsString(settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Settings parse(String json) {
        try {
            return mapper.readValue(json, Settings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("api_provider holds invalid JSON", e);
        }
    }
}
