package dev.switchboard.configs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Problem;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.CatalogState;
import dev.switchboard.catalog.ModelLookup;
import dev.switchboard.catalog.ProviderStatus;
import dev.switchboard.config.ModelConfigSeed;
import dev.switchboard.events.CatalogChanged;
import dev.switchboard.events.ChangeData;
import dev.switchboard.events.Commits;
import dev.switchboard.events.ProviderChanged;
import dev.switchboard.events.ProviderStatusChanged;
import dev.switchboard.events.RemoteChange;
import dev.switchboard.events.ChangeEvent;
import dev.switchboard.events.ModelConfigChanged;
import dev.switchboard.events.ModelConfigChanged.Change;
import dev.switchboard.configs.ModelConfigRepository.HistoryEntry;
import dev.switchboard.metadata.ModelFacts;
import dev.switchboard.store.Store;
import dev.switchboard.store.StoreException;
import dev.switchboard.store.WriteQueue;
import dev.switchboard.store.WriteTicket;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Model configurations: validated writes with versions and history, each committed with its event
 * through the one writer; reads from memory, so they keep answering while the store is down.
 */
public final class ModelConfigService {
    private final Store store;
    private final ModelConfigRepository repository;
    private final Commits commits;
    private final WriteQueue writer;
    private final CatalogState catalog;
    private final ModelLookup lookup;
    private final ConfigValidator validator;
    private final ConfigJson json;
    private final Clock clock;
    private final AtomicReference<ConfigSet> current;

    public ModelConfigService(Store store, ModelConfigRepository repository, Commits commits,
                              WriteQueue writer, CatalogState catalog, ModelLookup lookup,
                              dev.switchboard.provider.ProviderRegistry providers, ObjectMapper mapper, Clock clock) {
        this.store = store;
        this.repository = repository;
        this.commits = commits;
        this.writer = writer;
        this.catalog = catalog;
        this.lookup = lookup;
        this.validator = new ConfigValidator(providers);
        this.json = new ConfigJson(mapper);
        this.clock = clock;
        this.current = new AtomicReference<>(new ConfigSet(store.withHandle(handle -> {
            var byAlias = new java.util.TreeMap<String, ModelConfig>();
            for (ModelConfig config : repository.loadAll(handle)) byAlias.put(config.alias(), config);
            return byAlias;
        })));
        commits.followWith(this::followCatalog);
    }

    public ConfigSet current() {
        return current.get();
    }

    public ConfigJson json() {
        return json;
    }

    public Optional<ModelConfig> find(String alias) {
        return current.get().find(alias);
    }

    /** {@code POST /model-configs}: creates; an existing alias is a conflict. */
    public CompletableFuture<ModelConfig> create(JsonNode body, boolean checkModels, String actor, WriteTicket ticket) {
        JsonNode aliasNode = body == null ? null : body.get("alias");
        String alias = aliasNode == null || !aliasNode.isTextual() ? null : aliasNode.asText();
        if (alias == null) {
            throw new Problem.Invalid("invalid model configuration: alias is required",
                    java.util.Map.of("alias", aliasNode == null ? "is required" : "must be a string"));
        }
        SpecReader.requireAlias(alias);
        ModelConfigSpec spec = SpecReader.read(body, alias);
        return prepared(spec, checkModels).thenCompose(v -> writer.submit(ticket, () -> {
            try {
                return write(alias, existing -> spec, OptionalLong.empty(), true, checkModels, actor, "created").config();
            } catch (StoreException.Conflict raced) {
                // another instance on the shared store created it between our check and our insert: it came first
                throw new Problem.Conflict("already_exists", "model configuration \"" + alias + "\" already exists (created"
                        + " at the same moment by another request); use PUT or PATCH to change it");
            }
        }));
    }

    /** {@code PUT /model-configs/{alias}}: replaces, or creates when absent. */
    public CompletableFuture<Written> put(String alias, JsonNode body, OptionalLong ifMatch, boolean checkModels, String actor,
                                         WriteTicket ticket) {
        SpecReader.requireAlias(alias);
        ModelConfigSpec spec = SpecReader.read(body, alias);
        return prepared(spec, checkModels).thenCompose(v -> writer.submit(ticket, () ->
                write(alias, existing -> spec, ifMatch, false, checkModels, actor, "updated")));
    }

    /** {@code PATCH /model-configs/{alias}}: a JSON merge patch (RFC 7386) on the current configuration. */
    public CompletableFuture<ModelConfig> patch(String alias, JsonNode patch, OptionalLong ifMatch, boolean checkModels, String actor,
                                                WriteTicket ticket) {
        SpecReader.requireAlias(alias);
        if (patch == null || !patch.isObject()) throw new Problem.Invalid("a merge patch must be a JSON object", java.util.Map.of());
        SpecReader.requireKnownFields(patch);
        // This instance may not have applied yet a configuration another one just made: the write decides, once
        // caught up. What memory knows only serves to report a bad patch early and to fetch what it names.
        CompletableFuture<Void> ready = find(alias)
                .map(now -> prepared(SpecReader.read(json.merge(now.spec(), patch), alias), checkModels))
                .orElseGet(() -> CompletableFuture.completedFuture(null));
        return ready.thenCompose(v -> writer.submit(ticket, () -> write(alias, existing -> {
            ModelConfig base = existing.orElseThrow(() -> notConfigured(alias));
            return SpecReader.read(json.merge(base.spec(), patch), alias);
        }, ifMatch, false, checkModels, actor, "updated").config()));
    }

    /** {@code POST /model-configs/{alias}:rollback}: a new version equal to version {@code target}. */
    public CompletableFuture<ModelConfig> rollback(String alias, long target, OptionalLong ifMatch, boolean checkModels, String actor,
                                                   WriteTicket ticket) {
        SpecReader.requireAlias(alias);
        HistoryEntry entry = store.withHandle(handle -> repository.version(handle, alias, target))
                .orElseThrow(() -> new Problem.NotFound("version_not_found", "model configuration \"" + alias
                        + "\" has no version " + target));
        ModelConfigSpec spec = entry.spec().orElseThrow(() -> new Problem.Unprocessable("version " + target + " of \""
                + alias + "\" is a deletion; roll back to a version that has a configuration", java.util.Map.of("version", "is a deletion")));
        return prepared(spec, checkModels).thenCompose(v -> writer.submit(ticket, () ->
                write(alias, existing -> spec, ifMatch, false, checkModels, actor, "rolled_back").config()));
    }

    /** {@code DELETE /model-configs/{alias}}. */
    public CompletableFuture<Void> delete(String alias, OptionalLong ifMatch, String actor, WriteTicket ticket) {
        SpecReader.requireAlias(alias);
        return writer.submit(ticket, () -> {
            commits.commit(tx -> {
                ModelConfig existing = repository.lock(tx.handle(), alias).orElseThrow(() -> notConfigured(alias));
                checkVersion(alias, existing, ifMatch);
                long version = existing.version() + 1;
                repository.delete(tx.handle(), alias);
                ChangeEvent appended = tx.append(new ModelConfigChanged(Change.DELETED, alias, version, null, List.of()));
                repository.appendHistory(tx.handle(), new HistoryEntry(alias, version, "deleted", Optional.empty(),
                        appended.time(), actor, appended.revision()));
                return Commits.Outcome.of(null, events -> current.updateAndGet(set -> set.without(alias)));
            });
            return null;
        });
    }

    public List<HistoryEntry> history(String alias) {
        SpecReader.requireAlias(alias);
        List<HistoryEntry> entries = store.withHandle(handle -> repository.history(handle, alias));
        if (entries.isEmpty()) throw notConfigured(alias);
        return entries;
    }

    /** The outcome of a PUT: the configuration and whether it was created. */
    public record Written(ModelConfig config, boolean created) {
    }

    /** Fetches providers the spec names that were never fetched, so validation sees their models. */
    private CompletableFuture<Void> prepared(ModelConfigSpec spec, boolean checkModels) {
        if (!checkModels) return CompletableFuture.completedFuture(null);
        List<CompletableFuture<?>> lookups = new ArrayList<>();
        lookups.add(lookup.find(spec.provider(), spec.model()));
        for (String fallback : spec.fallbacks()) {
            int slash = fallback.indexOf('/');
            if (slash > 0) lookups.add(lookup.find(fallback.substring(0, slash), fallback.substring(slash + 1)));
        }
        return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new)).handle((v, e) -> null);
    }

    /**
     * Runs on the writer: under the revision lock, with what other instances committed applied first, validate
     * against the state of now, then commit the version with its event.
     */
    private Written write(String alias, java.util.function.Function<Optional<ModelConfig>, ModelConfigSpec> specOf,
                          OptionalLong ifMatch, boolean createOnly, boolean checkModels, String actor, String change) {
        return commits.commit(tx -> {
            Handle handle = tx.handle();
            Catalog now = catalog.current();
            Optional<ModelConfig> existing = repository.lock(handle, alias);
            if (createOnly && existing.isPresent()) {
                throw new Problem.Conflict("already_exists", "model configuration \"" + alias
                        + "\" already exists (version " + existing.get().version() + "); use PUT or PATCH to change it");
            }
            if (existing.isPresent()) checkVersion(alias, existing.get(), ifMatch);
            else if (ifMatch.isPresent()) {
                throw new Problem.PreconditionFailed("model configuration \"" + alias + "\" does not exist, so it cannot be at version "
                        + ifMatch.getAsLong(), 0);
            }
            ModelConfigSpec spec = specOf.apply(existing);
            validator.validate(alias, spec, current.get(), now, checkModels);
            if (existing.isPresent() && existing.get().spec().equals(spec)) {
                return Commits.Outcome.unchanged(new Written(existing.get(), false)); // nothing changed: no version, no event
            }
            long version = existing.map(ModelConfig::version).orElseGet(() -> repository.lastVersion(handle, alias)) + 1;
            ModelConfig config = new ModelConfig(alias, spec, version, clock.instant(), actor, targetStatus(spec, now));
            repository.upsert(handle, config);
            List<String> changed = existing.map(e -> config.changedFields(e.spec())).orElse(List.of());
            ChangeEvent event = tx.append(new ModelConfigChanged(existing.isPresent() ? Change.UPDATED : Change.CREATED,
                    alias, version, json.redacted(config), changed));
            repository.appendHistory(handle, new HistoryEntry(alias, version, existing.isPresent() ? change : "created",
                    Optional.of(spec), config.updatedAt(), actor, event.revision()));
            return Commits.Outcome.of(new Written(config, existing.isEmpty()), events -> current.updateAndGet(set -> set.with(config)));
        }).value();
    }

    /**
     * After a catalog change, flags configurations whose target appeared or disappeared (each flag change is
     * a {@code model_config.updated} event). A follow-up of the commit that moved the catalog ({@link Commits#followWith}):
     * runs on the writer, right after that commit was published, and only on the instance that made it.
     */
    private void followCatalog(List<ChangeData> committed) {
        boolean catalogMoved = committed.stream().anyMatch(change -> switch (change) {
            case CatalogChanged c -> true;
            case ProviderStatusChanged c -> true;
            case ProviderChanged c -> true;
            case ModelConfigChanged c -> false;
        });
        if (catalogMoved) reconcileTargets();
    }

    /**
     * Imports the configurations declared in the config file whose alias the store has never had (the store wins
     * afterwards, so API edits survive restarts). Runs on the writer at start; returns the imported aliases.
     */
    public List<String> importSeeds(List<ModelConfigSeed> seeds, ObjectMapper mapper) {
        List<String> imported = new ArrayList<>();
        for (ModelConfigSeed seed : seeds) {
            boolean known = store.withHandle(handle -> repository.lastVersion(handle, seed.alias())) > 0;
            if (known) continue;
            ModelConfigSpec spec = new ModelConfigSpec(seed.provider(), seed.model(), mapper.valueToTree(seed.params()),
                    seed.fallbacks(), seed.description(), seed.labels(), seed.fixedParams(),
                    ModelFacts.parse(mapper.valueToTree(seed.metadata()), "metadata").toJson());
            try {
                SpecReader.fixedParamsProblem(spec.params(), spec.fixedParams()).ifPresent(problem -> {
                    throw new Problem.Invalid("fixed_params " + problem, java.util.Map.of("fixed_params", problem));
                });
                write(seed.alias(), existing -> spec, OptionalLong.empty(), true, false, "config-file", "created");
            } catch (Problem.Conflict | StoreException.Conflict importedByAnother) {
                continue; // another instance sharing the store imported it at the same moment
            } catch (Problem problem) {
                throw new IllegalStateException(seed.origin() + ": [[model_configs]] \"" + seed.alias() + "\" cannot be imported: "
                        + problem.getMessage(), problem);
            }
            imported.add(seed.alias());
        }
        return imported;
    }

    /** Brings every configuration's target status in line with the catalog; also called at start. */
    public void reconcileTargets() {
        if (flips().isEmpty()) return; // the usual case, told from memory without taking the store's lock
        commits.commit(tx -> {
            List<ModelConfig> flips = flips(); // again: other instances' commits are applied now
            for (ModelConfig config : flips) {
                repository.setTargetStatus(tx.handle(), config.alias(), config.targetStatus());
                tx.append(new ModelConfigChanged(Change.UPDATED, config.alias(), config.version(),
                        json.redacted(config), List.of("target_status")));
            }
            return Commits.Outcome.of(null, events -> current.updateAndGet(set -> {
                ConfigSet next = set;
                for (ModelConfig config : flips) next = next.with(config);
                return next;
            }));
        });
    }

    /** The configurations whose target status the catalog contradicts, with the status it gives them. */
    private List<ModelConfig> flips() {
        Catalog now = catalog.current();
        return current.get().byAlias().values().stream()
                .filter(config -> config.targetStatus() != targetStatus(config.spec(), now))
                .map(config -> config.withTargetStatus(targetStatus(config.spec(), now))).toList();
    }

    /** In a cluster: another instance changed a configuration; read it as it is now. Runs on the writer. */
    public void applyRemote(RemoteChange change) {
        if (!(change instanceof RemoteChange.ConfigEdited edited)) return;
        String alias = edited.alias();
        Optional<ModelConfig> now = store.withHandle(handle -> repository.find(handle, alias));
        current.updateAndGet(set -> now.map(set::with).orElseGet(() -> set.without(alias)));
    }

    static TargetStatus targetStatus(ModelConfigSpec spec, Catalog catalog) {
        var snapshot = catalog.snapshot(spec.provider());
        if (snapshot.isEmpty()) return TargetStatus.MISSING;
        if (snapshot.get().model(spec.model()).isPresent()) return TargetStatus.OK;
        return snapshot.get().status() == ProviderStatus.NEVER ? TargetStatus.UNKNOWN : TargetStatus.MISSING;
    }

    private static void checkVersion(String alias, ModelConfig existing, OptionalLong ifMatch) {
        if (ifMatch.isPresent() && ifMatch.getAsLong() != existing.version()) {
            throw new Problem.PreconditionFailed("model configuration \"" + alias + "\" is at version " + existing.version()
                    + ", not " + ifMatch.getAsLong() + "; reload it and apply your change again", existing.version());
        }
    }

    static Problem.NotFound notConfigured(String alias) {
        return new Problem.NotFound("not_configured", "no model configuration \"" + alias + "\"");
    }
}
