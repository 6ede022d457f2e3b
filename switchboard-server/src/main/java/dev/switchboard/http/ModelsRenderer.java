package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.CatalogState;
import dev.switchboard.catalog.Snapshot;
import dev.switchboard.provider.Model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Renders the catalog in OpenAI's list shape with the {@code switchboard} extension object. The full
 * list is rendered once per revision, on the writer thread that published it; filtered lists are
 * rendered on first request and cached until the next revision.
 */
final class ModelsRenderer {
    private final ObjectMapper mapper;
    private final CatalogState state;
    private final AtomicReference<ModelsDocument> full = new AtomicReference<>();
    private final Map<String, ModelsDocument> filtered = new ConcurrentHashMap<>();

    ModelsRenderer(ObjectMapper mapper, CatalogState state) {
        this.mapper = mapper;
        this.state = state;
        rerender(state.current());
        state.onUpdate(update -> rerender(update.catalog()));
    }

    /** The whole catalog, ready to write. */
    ModelsDocument full() {
        ModelsDocument document = full.get();
        if (document.revision() != state.revision()) {
            rerender(state.current());
            document = full.get();
        }
        return document;
    }

    /** The catalog restricted to some providers and kinds ({@code model} or {@code alias}); null means all. */
    ModelsDocument filtered(Set<String> providers, Set<String> kinds) {
        Catalog catalog = state.current();
        String key = catalog.revision() + "|" + providers + "|" + kinds;
        ModelsDocument cached = filtered.get(key);
        if (cached != null) return cached;
        ModelsDocument document = ModelsDocument.of(catalog.revision(), render(catalog, providers, kinds));
        if (filtered.size() > 256) filtered.clear(); // bounded: callers can invent filters
        filtered.put(key, document);
        return document;
    }

    /** One entry, as in the list. */
    ObjectNode entry(Snapshot snapshot, Model model) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
                writeEntry(json, snapshot, model);
            }
            return (ObjectNode) mapper.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void rerender(Catalog catalog) {
        ModelsDocument current = full.get();
        if (current != null && current.revision() == catalog.revision()) return;
        full.set(ModelsDocument.of(catalog.revision(), render(catalog, null, null)));
        filtered.clear();
    }

    private byte[] render(Catalog catalog, Set<String> providers, Set<String> kinds) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("object", "list");
            json.writeArrayFieldStart("data");
            if (kinds == null || kinds.contains("model")) {
                for (Snapshot snapshot : catalog.snapshots().values()) {
                    if (providers != null && !providers.contains(snapshot.providerId())) continue;
                    for (Model model : snapshot.models()) writeEntry(json, snapshot, model);
                }
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void writeEntry(JsonGenerator json, Snapshot snapshot, Model model) throws IOException {
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
}
