package dev.switchboard.catalog;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.metadata.MetadataPrecedence;
import dev.switchboard.metadata.ModelFacts;
import dev.switchboard.metadata.ResolvedMetadata;
import dev.switchboard.metadata.SourcedFacts;
import dev.switchboard.provider.Model;
import dev.switchboard.provider.ProviderRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Gives each model its normalised record: per field, the value of the first source in precedence order that has
 * one — the configuration ({@code models."<id>"} of its provider; an alias's own metadata above that), the
 * upstream's answer mapped by its dialect, the metadata catalogs in configured order. Pure: the same inputs give
 * the same record, so every instance of a cluster resolves alike.
 */
public final class MetadataResolution {
    /** The normalised facts an upstream's own answer gave for one model (its dialect's mapping). */
    @FunctionalInterface
    public interface UpstreamFacts {
        ModelFacts of(ProviderConfig provider, Model model);
    }

    /** What the metadata catalogs say of one model, one entry per catalog that knows it, in configured order. */
    @FunctionalInterface
    public interface CatalogFacts {
        CatalogFacts NONE = (provider, modelId) -> List.of();

        List<SourcedFacts> find(ProviderConfig provider, String modelId);
    }

    private final ProviderRegistry providers;
    private final UpstreamFacts upstream;
    private final Supplier<CatalogFacts> catalogs;
    private final MetadataPrecedence precedence;

    public MetadataResolution(ProviderRegistry providers, UpstreamFacts upstream, Supplier<CatalogFacts> catalogs,
                              MetadataPrecedence precedence) {
        this.providers = providers;
        this.upstream = upstream;
        this.catalogs = catalogs;
        this.precedence = precedence;
    }

    /** The models with their records, from the served catalogs; a provider no longer configured resolves to nothing. */
    public List<Model> resolve(String providerId, List<Model> models) {
        return resolve(providerId, models, catalogs.get());
    }

    /** As above, against {@code with} instead of the served catalogs (a catalog about to be served). */
    List<Model> resolve(String providerId, List<Model> models, CatalogFacts with) {
        Optional<ProviderConfig> provider = providers.find(providerId);
        if (provider.isEmpty()) return models.stream().map(model -> model.withNormalized(ResolvedMetadata.EMPTY)).toList();
        return resolve(provider.get(), models, with);
    }

    /** As configured by {@code provider} rather than the registry (a provider about to be saved). */
    List<Model> resolve(ProviderConfig provider, List<Model> models) {
        return resolve(provider, models, catalogs.get());
    }

    private List<Model> resolve(ProviderConfig provider, List<Model> models, CatalogFacts with) {
        List<Model> resolved = new ArrayList<>(models.size());
        for (Model model : models) {
            resolved.add(model.withNormalized(ResolvedMetadata.resolve(candidates(provider, model, ModelFacts.EMPTY, with))));
        }
        return resolved;
    }

    public MetadataPrecedence precedence() {
        return precedence;
    }

    /** The snapshot with its models (not its held answer: that one is resolved once it is served) resolved. */
    public Snapshot resolve(Snapshot snapshot) {
        return snapshot.withModels(resolve(snapshot.providerId(), snapshot.models()));
    }

    /** An alias's record: its own metadata above everything its target's record was resolved from. */
    public ResolvedMetadata forAlias(ModelFacts aliasFacts, String providerId, Optional<Model> target) {
        if (aliasFacts.isEmpty()) return target.map(Model::normalized).orElse(ResolvedMetadata.EMPTY); // resolved already
        return ResolvedMetadata.resolve(aliasCandidates(aliasFacts, providerId, target));
    }

    /**
     * Every source's offer for an alias, highest precedence first: its own metadata among its target's offers, or
     * alone when the target is not in the catalog (or its provider is gone).
     */
    public List<SourcedFacts> aliasCandidates(ModelFacts aliasFacts, String providerId, Optional<Model> target) {
        Optional<ProviderConfig> provider = providers.find(providerId);
        if (provider.isEmpty() || target.isEmpty()) {
            return aliasFacts.isEmpty() ? List.of() : List.of(new SourcedFacts(SourcedFacts.ALIAS, aliasFacts));
        }
        return candidates(provider.get(), target.get(), aliasFacts, catalogs.get());
    }

    /**
     * Every source's offer for one model, highest precedence first, empty offers left out: what
     * {@code ?explain=true} shows.
     */
    public List<SourcedFacts> candidates(String providerId, Model model, ModelFacts aliasFacts) {
        return providers.find(providerId).map(p -> candidates(p, model, aliasFacts, catalogs.get())).orElse(List.of());
    }

    private List<SourcedFacts> candidates(ProviderConfig provider, Model model, ModelFacts aliasFacts, CatalogFacts with) {
        List<SourcedFacts> candidates = new ArrayList<>(4);
        for (MetadataPrecedence.Group group : precedence.order()) {
            switch (group) {
                case CONFIG -> {
                    add(candidates, new SourcedFacts(SourcedFacts.ALIAS, aliasFacts));
                    add(candidates, new SourcedFacts(SourcedFacts.CONFIG, provider.modelMetadata().getOrDefault(model.id(), ModelFacts.EMPTY)));
                }
                case UPSTREAM -> add(candidates, new SourcedFacts(SourcedFacts.UPSTREAM, upstream.of(provider, model)));
                case CATALOG -> with.find(provider, model.id()).forEach(found -> add(candidates, found));
            }
        }
        return candidates;
    }

    private static void add(List<SourcedFacts> candidates, SourcedFacts offer) {
        if (!offer.facts().isEmpty()) candidates.add(offer);
    }
}
