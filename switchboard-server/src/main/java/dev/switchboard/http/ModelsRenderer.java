package dev.switchboard.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.CatalogState;
import dev.switchboard.catalog.MetadataResolution;
import dev.switchboard.catalog.Snapshot;
import dev.switchboard.configs.ConfigSet;
import dev.switchboard.configs.ModelConfig;
import dev.switchboard.configs.ModelConfigSpec;
import dev.switchboard.events.ChangeBus;
import dev.switchboard.metadata.MetadataExplanation;
import dev.switchboard.metadata.ModelFacts;
import dev.switchboard.metadata.ResolvedMetadata;
import dev.switchboard.provider.Model;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Renders the catalog and the aliases in OpenAI's list shape with the {@code switchboard} extension object.
 *
 * <p>The full list is rendered once per revision and swapped in whole (bytes, gzip, ETag and revision
 * together), so the hot path only reads a reference. A small catalog is rendered by the writer that published
 * the revision, before the write answers, so a client sees its own write in the next {@code GET /v1/models}. A
 * large one takes long (25 MB and ~0.3 s at 100k models): it is rendered on its own thread, never on an event
 * loop nor on the writer, and until it is done the previous body is served with its own ETag and revision.
 * Revisions published while a render is pending are coalesced: one render, from the newest state.
 *
 * <p>Filtered lists are rendered on first request, from the current state, and cached per normalised filter until
 * the next revision ({@link FilteredBodies}); a cached one is served by the hot path like the full list.
 */
final class ModelsRenderer {
    private static final Logger log = LoggerFactory.getLogger(ModelsRenderer.class);

    /**
     * Entries (models and aliases) up to which the writer renders the full list itself: ~250 KB of JSON, a few
     * milliseconds. Over it, the render thread does, and a write's answer may come before its body is swapped in.
     */
    static final int WRITER_RENDER_LIMIT = 1_000;

    private final ObjectMapper mapper;
    private final CatalogState catalog;
    private final Supplier<ConfigSet> configs;
    private final ChangeBus bus;
    private final Executor renderThread;
    private final MetadataResolution metadata;
    private final AtomicReference<ModelsDocument> full;
    private final AtomicBoolean renderQueued = new AtomicBoolean();
    /**
     * Up to 256 filters, or 256 MB of bodies (some ten 100k-model lists; less on a small heap: a quarter of it),
     * whichever comes first.
     */
    private final FilteredBodies filtered = new FilteredBodies(256, Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4));

    ModelsRenderer(ObjectMapper mapper, CatalogState catalog, Supplier<ConfigSet> configs, ChangeBus bus, Executor renderThread,
                   MetadataResolution metadata) {
        this.mapper = mapper;
        this.metadata = metadata;
        this.catalog = catalog;
        this.configs = configs;
        this.bus = bus;
        this.renderThread = renderThread;
        this.full = new AtomicReference<>(renderFull()); // before the server listens: the first request has a body
        bus.onPublished(events -> published());
    }

    /** Everything, ready to write: the newest finished render, possibly a revision or a few behind the bus. */
    ModelsDocument full() {
        return full.get();
    }

    /** A filtered list already rendered at the current revision, or null: what the hot path serves without the router. */
    ModelsDocument cachedFiltered(ModelsFilter filter) {
        return filtered.get(bus.revision(), filter);
    }

    /**
     * The entries the filter keeps (see {@link ModelsFilter}), from the current state; {@code filtered(NONE)} is the
     * full list at the current state. Renders when not cached: call it off the event loop.
     */
    ModelsDocument filtered(ModelsFilter filter) {
        long revision = bus.revision();
        ModelsDocument cached = filtered.get(revision, filter);
        if (cached != null) return cached;
        ModelsDocument document = ModelsDocument.of(revision, filter.hash(), render(catalog.current(), configs.get(), filter));
        filtered.put(revision, filter, document);
        return document;
    }

    /** On the writer, after each commit. */
    private void published() {
        filtered.clear(); // keyed by revision: the old ones are never asked for again
        if (catalog.current().modelCount() + configs.get().byAlias().size() <= WRITER_RENDER_LIMIT) {
            install(renderFull());
            return;
        }
        if (!renderQueued.compareAndSet(false, true)) return; // the queued render will read the newest state
        try {
            renderThread.execute(this::renderQueued);
        } catch (RejectedExecutionException shuttingDown) {
            renderQueued.set(false);
        }
    }

    private void renderQueued() {
        renderQueued.set(false); // from here on a new revision queues another render
        try {
            if (full.get().revision() < bus.revision()) install(renderFull());
        } catch (RuntimeException e) {
            // the previous body stays served; the next revision tries again
            log.error("could not render /v1/models at revision {}", bus.revision(), e);
        }
    }

    /** Reads the revision first: the state it renders is at least that new (the writer swaps state, then publishes). */
    private ModelsDocument renderFull() {
        long revision = bus.revision();
        return ModelsDocument.of(revision, render(catalog.current(), configs.get(), ModelsFilter.NONE));
    }

    /** Never goes back: a render that finishes after a newer one (writer and render thread) is dropped. */
    private void install(ModelsDocument document) {
        full.accumulateAndGet(document, (current, next) -> next.revision() > current.revision() ? next : current);
    }

    /** One model entry, as in the list. */
    ObjectNode entry(Snapshot snapshot, Model model) {
        return tree(json -> writeModel(json, snapshot, model));
    }

    /** One alias entry, as in the list. */
    ObjectNode entry(ModelConfig config) {
        Catalog now = catalog.current();
        return tree(json -> writeAlias(json, config, aliasMetadata(config, now)));
    }

    /** {@code ?explain=true} of a model: every source's offer per field and which one won. */
    ObjectNode explain(Snapshot snapshot, Model model) {
        return MetadataExplanation.of(metadata.candidates(snapshot.providerId(), model, ModelFacts.EMPTY), metadata.precedence());
    }

    /** {@code ?explain=true} of an alias: its own metadata among the offers for its target. */
    ObjectNode explain(ModelConfig config) {
        ModelConfigSpec spec = config.spec();
        return MetadataExplanation.of(metadata.aliasCandidates(spec.metadataFacts(), spec.provider(), target(spec, catalog.current())),
                metadata.precedence());
    }

    /** An alias's normalised record: its own metadata above its target model's sources. */
    ResolvedMetadata aliasMetadata(ModelConfig config, Catalog in) {
        ModelConfigSpec spec = config.spec();
        return metadata.forAlias(spec.metadataFacts(), spec.provider(), target(spec, in));
    }

    private static Optional<Model> target(ModelConfigSpec spec, Catalog in) {
        return in.snapshot(spec.provider()).flatMap(snapshot -> snapshot.model(spec.model()));
    }

    private byte[] render(Catalog catalog, ConfigSet aliases, ModelsFilter filter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        boolean metadata = filter.testsMetadata();
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("object", "list");
            json.writeArrayFieldStart("data");
            if (filter.allowsKind("model")) {
                for (Snapshot snapshot : catalog.snapshots().values()) {
                    if (!filter.allowsProvider(snapshot.providerId())) continue;
                    for (Model model : snapshot.models()) {
                        if (!metadata || filter.matches(model.normalized().facts())) writeModel(json, snapshot, model);
                    }
                }
            }
            if (filter.allowsKind("alias")) {
                for (ModelConfig config : aliases.byAlias().values()) {
                    if (!filter.allowsProvider(config.spec().provider())) continue;
                    ResolvedMetadata resolved = aliasMetadata(config, catalog);
                    if (metadata && !filter.matches(resolved.facts())) continue;
                    writeAlias(json, config, resolved);
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
        writeNormalized(json, model.normalized());
        json.writeEndObject();
        json.writeEndObject();
    }

    /** The normalised record and where each of its fields came from; both empty objects when nothing is known. */
    private void writeNormalized(JsonGenerator json, ResolvedMetadata resolved) throws IOException {
        json.writeFieldName("normalized");
        mapper.writeTree(json, resolved.facts().toJson());
        json.writeFieldName("sources");
        mapper.writeTree(json, resolved.sourcesJson());
    }

    private void writeAlias(JsonGenerator json, ModelConfig config, ResolvedMetadata resolved) throws IOException {
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
        writeNormalized(json, resolved);
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
