package dev.switchboard.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A models.dev catalog ({@code https://models.dev/api.json}): for each of its providers, the facts of each model,
 * in the normalised vocabulary ({@link ModelsDevFacts} maps one entry). Immutable.
 *
 * <p>Parsing is strict on the shape and lenient per entry: the document must be an object of providers, each an
 * object whose {@code models} is an object of models by id, else the whole document is refused with where it
 * breaks (a truncated or foreign document must not replace a good catalog); a model entry that is not an object
 * is skipped and counted ({@link #skipped()}), and a field whose value does not fit is left out of that model's
 * facts. One odd entry upstream thus never costs the other thousands.
 *
 * <p>{@link #find} matches a model id in this order, each step only when the previous found nothing:
 * <ol>
 *   <li>exactly, under the catalog provider;</li>
 *   <li>ignoring case (provider and model id);</li>
 *   <li>by canonical id, on both sides: lower case, without a leading {@code models/} (Gemini), without a trailing
 *       {@code -latest}, and without a trailing date: {@code -2024-08-06}, {@code -20241022} or {@code @20241022}
 *       (Vertex). Only a unique match counts: when two catalog ids share the canonical id
 *       ({@code gpt-4o-2024-05-13} and {@code gpt-4o-2024-08-06}) neither is taken, since dated snapshots of one
 *       model do differ. Four-digit suffixes ({@code -0613}) are not stripped: they are as often not dates
 *       ({@code llama3-8b-8192} names its context).</li>
 * </ol>
 * With no catalog provider, an id of the form {@code vendor/model} (OpenRouter-style registries) is looked up
 * with {@code vendor} as the provider. Every step is one hash lookup in an index built once.
 */
public final class ModelsDevCatalog {
    public static final ModelsDevCatalog EMPTY = new ModelsDevCatalog(Map.of(), 0);

    private static final String LATEST = "-latest";
    private static final String GEMINI_PREFIX = "models/";
    /** Stands for "more than one catalog id" in the folded indexes; no key equals it (keys hold a NUL). */
    private static final String AMBIGUOUS = "";

    private final Map<String, Map<String, ModelFacts>> providers;
    private final int skipped;
    private final Map<String, ModelFacts> exact = new HashMap<>();
    private final Map<String, String> ignoringCase = new HashMap<>();
    private final Map<String, String> canonical = new HashMap<>();

    private ModelsDevCatalog(Map<String, Map<String, ModelFacts>> providers, int skipped) {
        Map<String, Map<String, ModelFacts>> copy = new LinkedHashMap<>();
        providers.forEach((provider, models) -> copy.put(provider, Collections.unmodifiableMap(new LinkedHashMap<>(models))));
        this.providers = Collections.unmodifiableMap(copy);
        this.skipped = skipped;
        this.providers.forEach((provider, models) -> models.forEach((id, facts) -> {
            String key = key(provider, id);
            exact.put(key, facts);
            index(ignoringCase, key(lower(provider), lower(id)), key);
            index(canonical, key(lower(provider), canonicalId(id)), key);
        }));
    }

    /**
     * The catalog a models.dev {@code api.json} document describes.
     *
     * @throws IllegalArgumentException naming where the document's shape breaks
     */
    public static ModelsDevCatalog parse(JsonNode document) {
        if (!(document instanceof ObjectNode root)) {
            throw new IllegalArgumentException("expected the models.dev api.json shape, an object of providers by id, got "
                    + describe(document));
        }
        Map<String, Map<String, ModelFacts>> providers = new LinkedHashMap<>();
        int skipped = 0;
        for (var entries = root.fields(); entries.hasNext(); ) {
            var provider = entries.next();
            String where = "provider \"" + provider.getKey() + "\"";
            if (!(provider.getValue() instanceof ObjectNode object)) {
                throw new IllegalArgumentException(where + " must be an object with models, got " + describe(provider.getValue()));
            }
            if (!(object.get("models") instanceof ObjectNode models)) {
                throw new IllegalArgumentException(where + ": models must be an object of models by id, got "
                        + describe(object.get("models")));
            }
            Map<String, ModelFacts> facts = new LinkedHashMap<>();
            for (var modelEntries = models.fields(); modelEntries.hasNext(); ) {
                var model = modelEntries.next();
                if (model.getValue() instanceof ObjectNode entry && !model.getKey().isBlank()) {
                    facts.put(model.getKey(), ModelsDevFacts.of(entry));
                } else {
                    skipped++;
                }
            }
            providers.put(provider.getKey(), facts);
        }
        return new ModelsDevCatalog(providers, skipped);
    }

    /** A catalog as {@link #toJson()} stored it. @throws IllegalArgumentException when it is not that form */
    public static ModelsDevCatalog fromJson(JsonNode stored) {
        if (!(stored instanceof ObjectNode root) || !(root.get("providers") instanceof ObjectNode providerNodes)) {
            throw new IllegalArgumentException("a stored catalog must be an object with providers, got " + describe(stored));
        }
        Map<String, Map<String, ModelFacts>> providers = new LinkedHashMap<>();
        providerNodes.fields().forEachRemaining(provider -> {
            Map<String, ModelFacts> models = new LinkedHashMap<>();
            provider.getValue().fields().forEachRemaining(model -> models.put(model.getKey(),
                    ModelFacts.parse(model.getValue(), provider.getKey() + "." + model.getKey())));
            providers.put(provider.getKey(), models);
        });
        return new ModelsDevCatalog(providers, root.path("skipped").asInt(0));
    }

    /** The normalised form, to persist: {@code {"providers": {p: {model: facts}}, "skipped": n}}. */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode providerNodes = root.putObject("providers");
        providers.forEach((provider, models) -> {
            ObjectNode modelNodes = providerNodes.putObject(provider);
            models.forEach((id, facts) -> modelNodes.set(id, facts.toJson()));
        });
        root.put("skipped", skipped);
        return root;
    }

    /** The facts of a model, matched as the class comment says; empty when the catalog does not know it. */
    public Optional<ModelFacts> find(String catalogProvider, String modelId) {
        if (modelId == null || modelId.isEmpty()) return Optional.empty();
        String provider = catalogProvider;
        String id = modelId;
        if (provider == null) {
            int slash = id.indexOf('/');
            if (slash <= 0 || slash == id.length() - 1) return Optional.empty();
            provider = id.substring(0, slash);
            id = id.substring(slash + 1);
        }
        ModelFacts found = exact.get(key(provider, id));
        if (found != null) return Optional.of(found);
        String folded = ignoringCase.get(key(lower(provider), lower(id)));
        if (folded == null) folded = canonical.get(key(lower(provider), canonicalId(id)));
        return folded == null || folded.equals(AMBIGUOUS) ? Optional.empty() : Optional.ofNullable(exact.get(folded));
    }

    /** The id {@link #find} compares in its last step. */
    public static String canonicalId(String modelId) {
        String id = lower(modelId);
        if (id.startsWith(GEMINI_PREFIX)) id = id.substring(GEMINI_PREFIX.length());
        for (boolean stripped = true; stripped; ) {
            stripped = false;
            if (id.endsWith(LATEST) && id.length() > LATEST.length()) {
                id = id.substring(0, id.length() - LATEST.length());
                stripped = true;
            }
            int date = dateSuffix(id);
            if (date > 0) {
                id = id.substring(0, date);
                stripped = true;
            }
        }
        return id;
    }

    /** The catalog's providers, each with its models' facts by id, in document order. */
    public Map<String, Map<String, ModelFacts>> providers() {
        return providers;
    }

    public int modelCount() {
        return exact.size();
    }

    /** Model entries left out because they were not objects. */
    public int skipped() {
        return skipped;
    }

    /** Every model as {@code provider/model}: what the shrink guard compares. */
    public Set<String> modelKeys() {
        Set<String> keys = new LinkedHashSet<>();
        providers.forEach((provider, models) -> models.keySet().forEach(id -> keys.add(provider + "/" + id)));
        return keys;
    }

    /**
     * Where a trailing {@code -YYYY-MM-DD}, {@code -YYYYMMDD} or {@code @YYYYMMDD} starts, or -1. By hand, not by
     * regex: every lookup that misses the first two steps runs it.
     */
    private static int dateSuffix(String id) {
        int n = id.length();
        if (n > 11 && id.charAt(n - 11) == '-' && id.charAt(n - 3) == '-' && id.charAt(n - 6) == '-'
                && digits(id, n - 10, n - 6) && digits(id, n - 5, n - 3) && digits(id, n - 2, n)) {
            return n - 11;
        }
        if (n > 9 && (id.charAt(n - 9) == '-' || id.charAt(n - 9) == '@') && digits(id, n - 8, n)
                && (id.startsWith("19", n - 8) || id.startsWith("20", n - 8))) {
            return n - 9;
        }
        return -1;
    }

    private static boolean digits(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') return false;
        }
        return true;
    }

    private static void index(Map<String, String> index, String folded, String key) {
        index.merge(folded, key, (earlier, later) -> earlier.equals(later) ? earlier : AMBIGUOUS);
    }

    private static String key(String provider, String id) {
        return provider + '\0' + id;
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    private static String describe(JsonNode node) {
        return node == null || node.isMissingNode() ? "nothing" : node.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelsDevCatalog that && providers.equals(that.providers) && skipped == that.skipped;
    }

    @Override
    public int hashCode() {
        return Objects.hash(providers, skipped);
    }
}
