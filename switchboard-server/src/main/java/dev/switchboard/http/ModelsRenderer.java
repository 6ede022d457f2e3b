package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.CatalogState;
import dev.switchboard.catalog.Snapshot;
import dev.switchboard.configs.ConfigSet;
import dev.switchboard.configs.ModelConfig;
import dev.switchboard.events.ChangeBus;
import dev.switchboard.provider.Model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Renders the catalog and the aliases in OpenAI's list shape with the {@code switchboard} extension object.
 * The full list is rendered once per revision, on the writer thread that published it; filtered lists are
 * rendered on first request and cached until the next revision.
 */
final class ModelsRenderer {
    private final ObjectMapper mapper;
    private final CatalogState catalog;
    private final Supplier<ConfigSet> configs;
    private final ChangeBus bus;
    private final AtomicReference<ModelsDocument> full = new AtomicReference<>();
    private final Map<String, ModelsDocument> filtered = new ConcurrentHashMap<>();

    ModelsRenderer(ObjectMapper mapper, CatalogState catalog, Supplier<ConfigSet> configs, ChangeBus bus) {
        this.mapper = mapper;
        this.catalog = catalog;
        this.configs = configs;
        this.bus = bus;
        rerender();
        bus.onPublished(events -> rerender());
    }

    /** Everything, ready to write. */
    ModelsDocument full() {
        ModelsDocument document = full.get();
        if (document.revision() != bus.revision()) {
            rerender();
            document = full.get();
        }
        return document;
    }

    /** Restricted to some providers (aliases count by their target's provider) and kinds; null means all. */
    ModelsDocument filtered(Set<String> providers, Set<String> kinds) {
        long revision = bus.revision();
        String key = revision + "|" + providers + "|" + kinds;
        ModelsDocument cached = filtered.get(key);
        if (cached != null) return cached;
        ModelsDocument document = ModelsDocument.of(revision, render(catalog.current(), configs.get(), providers, kinds));
        if (filtered.size() > 256) filtered.clear(); // bounded: callers can invent filters
        filtered.put(key, document);
        return document;
    }

    /** One model entry, as in the list. */
    ObjectNode entry(Snapshot snapshot, Model model) {
        return tree(json -> writeModel(json, snapshot, model));
    }

    /** One alias entry, as in the list. */
    ObjectNode entry(ModelConfig config) {
        return tree(json -> writeAlias(json, config));
    }

    private synchronized void rerender() {
        long revision = bus.revision();
        ModelsDocument current = full.get();
        if (current != null && current.revision() == revision) return;
        full.set(ModelsDocument.of(revision, render(catalog.current(), configs.get(), null, null)));
        filtered.clear();
    }

    private byte[] render(Catalog catalog, ConfigSet aliases, Set<String> providers, Set<String> kinds) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("object", "list");
            json.writeArrayFieldStart("data");
            if (kinds == null || kinds.contains("model")) {
                for (Snapshot snapshot : catalog.snapshots().values()) {
                    if (providers != null && !providers.contains(snapshot.providerId())) continue;
                    for (Model model : snapshot.models()) writeModel(json, snapshot, model);
                }
            }
            if (kinds == null || kinds.contains("alias")) {
                for (ModelConfig config : aliases.byAlias().values()) {
                    if (providers != null && !providers.contains(config.spec().provider())) continue;
                    writeAlias(json, config);
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void writeModel(JsonGenerator json, Snapshot snapshot, Model model) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", snapshot.providerId() + "/" + model.id());
        json.writeStringField("object", "model");
        json.writeNumberField("created", model.created());
        json.writeStringField("owned_by", snapshot.providerId());
        json.writeObjectFieldStart("switchboard");
        json.writeStringField("kind", "model");
        json.writeStringField("provider", snapshot.providerId());
        json.writeStringField("model", model.id());
        json.writeStringField("status", snapshot.status().wireName());
        if (!model.ownedBy().isEmpty()) json.writeStringField("upstream_owned_by", model.ownedBy());
        json.writeFieldName("metadata");
        mapper.writeTree(json, model.metadata());
        json.writeEndObject();
        json.writeEndObject();
    }

    private void writeAlias(JsonGenerator json, ModelConfig config) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", config.alias());
        json.writeStringField("object", "model");
        json.writeNumberField("created", config.updatedAt().getEpochSecond());
        json.writeStringField("owned_by", "switchboard");
        json.writeObjectFieldStart("switchboard");
        json.writeStringField("kind", "alias");
        json.writeStringField("target", config.spec().target());
        json.writeStringField("target_status", config.targetStatus().wireName());
        json.writeNumberField("version", config.version());
        if (!config.spec().description().isEmpty()) json.writeStringField("description", config.spec().description());
        json.writeEndObject();
        json.writeEndObject();
    }

    private interface Writer {
        void write(JsonGenerator json) throws IOException;
    }

    private ObjectNode tree(Writer writer) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
                writer.write(json);
            }
            return (ObjectNode) mapper.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
