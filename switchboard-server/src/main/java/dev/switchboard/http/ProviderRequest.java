package dev.switchboard.http;

import dev.switchboard.config.ProviderKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.catalog.ProviderJson;
import dev.switchboard.provider.ModelFilter;
import dev.switchboard.provider.UrlPolicy;
import dev.switchboard.KnownFields;
import dev.switchboard.Problem;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.metadata.ModelFacts;
import dev.switchboard.config.Secret;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads an API-managed provider from a request body, one message per bad field (400), and shows one as JSON. */
public final class ProviderRequest implements ProviderJson {
    private static final Set<String> FIELDS = Set.of("id", "kind", "base_url", "api_key", "allowed_models", "denied_models",
            "models", "headers", "api_base_url", "metadata_provider");
    /** Fields a client may send back from a GET; set by the server and ignored here. */
    private static final Set<String> READ_ONLY = Set.of("source", "status", "model_count", "last_refreshed_at", "last_success_at",
            "age_seconds", "stale", "last_error", "consecutive_failures", "has_credentials", "suspect_model_count", "header_names");
    private static final KnownFields KNOWN = new KnownFields(FIELDS, READ_ONLY);

    private final UrlPolicy policy;
    private final int maxModels;
    private final ObjectMapper mapper;

    /** @param maxModels {@code [model_catalog] max_models}: a static provider listing more could never be refreshed */
    public ProviderRequest(UrlPolicy policy, int maxModels, ObjectMapper mapper) {
        this.policy = policy;
        this.maxModels = maxModels;
        this.mapper = mapper;
    }

    @Override
    public ObjectNode describe(ProviderConfig provider) {
        ObjectNode node = mapper.createObjectNode();
        node.put("id", provider.id());
        node.put("kind", provider.kind().wireName());
        if (provider.baseUrl() != null) node.put("base_url", provider.baseUrl().toString());
        if (provider.apiBaseUrl() != null) node.put("api_base_url", provider.apiBaseUrl().toString());
        if (provider.metadataProvider() != null) node.put("metadata_provider", provider.metadataProvider());
        node.put("source", provider.source().wireName());
        node.put("has_credentials", provider.apiKey().isPresent());
        node.set("allowed_models", mapper.valueToTree(provider.allowedModels()));
        node.set("denied_models", mapper.valueToTree(provider.deniedModels()));
        if (!provider.modelMetadata().isEmpty()) {
            ObjectNode models = node.putObject("models");
            provider.modelMetadata().forEach((model, facts) -> models.set(model, facts.toJson()));
        } else if (!provider.staticModels().isEmpty()) {
            node.set("models", mapper.valueToTree(provider.staticModels()));
        }
        node.set("header_names", mapper.valueToTree(provider.headers().keySet().stream().sorted().toList()));
        return node;
    }

    /**
     * @param keptKey the stored credential, kept when the body does not mention {@code api_key}
     *                ({@code "api_key": null} removes it)
     */
    @Override
    public ProviderConfig read(JsonNode body, String pathId, Secret keptKey) {
        if (body == null || !body.isObject()) throw new Problem.Invalid("the body must be a JSON object", Map.of());
        Map<String, String> errors = new LinkedHashMap<>();
        KNOWN.addUnknown(body, errors);
        String id = pathId != null ? pathId : text(body, "id", true, errors);
        if (pathId != null && body.hasNonNull("id") && !body.get("id").asText().equals(pathId)) {
            errors.put("id", "\"" + body.get("id").asText() + "\" does not match the id in the path, \"" + pathId + "\"");
        }
        if (id != null && !ProviderConfig.ID_PATTERN.matcher(id).matches()) {
            errors.put("id", "must be 1 to 63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
        }
        String kindName = text(body, "kind", true, errors);
        ProviderKind kind = null;
        if (kindName != null) {
            kind = ProviderKind.fromWireName(kindName).orElse(null);
            if (kind == null) errors.put("kind", "must be one of " + ProviderKind.wireNames() + ", got \"" + kindName + "\"");
        }
        URI baseUrl = baseUrl(body, kind, errors);
        Secret key = keptKey;
        if (body.has("api_key")) {
            JsonNode node = body.get("api_key");
            if (node.isNull()) key = Secret.NONE;
            else if (node.isTextual()) key = Secret.literal(node.asText());
            else errors.put("api_key", "must be a string");
        }
        List<String> allowed = strings(body, "allowed_models", errors);
        List<String> denied = strings(body, "denied_models", errors);
        Map<String, ModelFacts> metadata = modelMetadata(body, errors);
        List<String> models = body.path("models").isObject()
                ? (kind == ProviderKind.STATIC ? List.copyOf(metadata.keySet()) : List.of())
                : strings(body, "models", errors);
        if (kind == ProviderKind.STATIC && models.isEmpty() && !errors.containsKey("models")) {
            errors.put("models", "is required for a static provider");
        }
        if (kind != null && kind != ProviderKind.STATIC && !models.isEmpty()) {
            errors.put("models", "as a list is only for static providers; an object of metadata per model id is for every kind");
        }
        if (kind == ProviderKind.STATIC) {
            // Counted as a refresh counts them: distinct ids that the provider's own filters keep.
            var filter = new ModelFilter(allowed, denied);
            long kept = models.stream().distinct().filter(filter::accepts).count();
            if (kept > maxModels) errors.put("models", "lists " + kept + " models, over the max_models cap of " + maxModels);
        }
        Map<String, String> headers = headers(body, errors);
        URI apiBaseUrl = apiBaseUrl(body, errors);
        if (!errors.isEmpty()) {
            throw new Problem.Invalid("invalid provider: " + KnownFields.summary(errors), errors);
        }
        return new ProviderConfig(id, kind, baseUrl, key, allowed, denied, models, headers, ProviderConfig.Source.API, apiBaseUrl,
                metadata, metadataProvider(body, errors));
    }

    /** The provider id its models are matched under in the metadata catalogs; null for its kind's default. */
    private static String metadataProvider(JsonNode body, Map<String, String> errors) {
        JsonNode node = body.get("metadata_provider");
        if (node == null || node.isNull()) return null;
        if (!node.isTextual() || !ProviderConfig.ID_PATTERN.matcher(node.asText()).matches()) {
            errors.put("metadata_provider", "must be a metadata catalog's provider id such as \"openai\" or \"google\"");
            return null;
        }
        return node.asText();
    }

    /** {@code models} as an object: normalised metadata per model id, e.g. {@code {"gpt-4o": {"context_window": 128000}}}. */
    private static Map<String, ModelFacts> modelMetadata(JsonNode body, Map<String, String> errors) {
        if (!(body.get("models") instanceof ObjectNode models)) return Map.of();
        Map<String, ModelFacts> byModel = new LinkedHashMap<>();
        for (var entries = models.fields(); entries.hasNext(); ) {
            var entry = entries.next();
            if (entry.getKey().isBlank()) {
                errors.put("models", "has a blank model id");
                continue;
            }
            try {
                byModel.put(entry.getKey(), ModelFacts.parse(entry.getValue(), "models." + entry.getKey()));
            } catch (IllegalArgumentException e) {
                errors.put("models", e.getMessage());
            }
        }
        if (models.isEmpty()) errors.put("models", "is an empty object; give metadata per model id, e.g. {\"gpt-4o\": {\"context_window\": 128000}}");
        return byModel;
    }

    /** A merge patch names only fields a provider has. */
    @Override
    public void requireKnownFields(JsonNode patch) {
        KNOWN.requireKnownIn(patch);
    }

    private URI baseUrl(JsonNode body, ProviderKind kind, Map<String, String> errors) {
        String text = text(body, "base_url", kind != null && kind != ProviderKind.STATIC, errors);
        if (text == null) return null;
        if (kind == ProviderKind.STATIC) {
            errors.put("base_url", "is not used by static providers");
            return null;
        }
        try {
            URI uri = new URI(text);
            if (!uri.isAbsolute()) {
                errors.put("base_url", "must be an absolute http(s) URL");
                return null;
            }
            policy.refusal(uri).ifPresent(reason -> errors.put("base_url", reason));
            return uri;
        } catch (URISyntaxException e) {
            errors.put("base_url", "is not a valid URL: " + e.getReason());
            return null;
        }
    }

    /** Where the gateway sends inference requests, under the same URL policy as {@code base_url}. */
    private URI apiBaseUrl(JsonNode body, Map<String, String> errors) {
        String text = text(body, "api_base_url", false, errors);
        if (text == null) return null;
        try {
            URI uri = new URI(text);
            if (!uri.isAbsolute()) {
                errors.put("api_base_url", "must be an absolute http(s) URL");
                return null;
            }
            policy.refusal(uri).ifPresent(reason -> errors.put("api_base_url", reason));
            return uri;
        } catch (URISyntaxException e) {
            errors.put("api_base_url", "is not a valid URL: " + e.getReason());
            return null;
        }
    }

    private static String text(JsonNode body, String field, boolean required, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            if (required) errors.put(field, "is required");
            return null;
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            errors.put(field, "must be a non-empty string");
            return null;
        }
        return node.asText();
    }

    private static List<String> strings(JsonNode body, String field, Map<String, String> errors) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) return List.of();
        List<String> values = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    errors.put(field, "must be an array of strings");
                    return List.of();
                }
                values.add(item.asText());
            }
            return values;
        }
        errors.put(field, "must be an array of strings");
        return List.of();
    }

    private static Map<String, String> headers(JsonNode body, Map<String, String> errors) {
        JsonNode node = body.get("headers");
        if (node == null || node.isNull()) return Map.of();
        if (!node.isObject()) {
            errors.put("headers", "must be an object of string values");
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = fields.next();
            if (!entry.getKey().matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) errors.put("headers", "\"" + entry.getKey() + "\" is not a valid header name");
            else if (ProviderConfig.reservedHeader(entry.getKey()).isPresent()) {
                errors.put("headers." + entry.getKey(), "cannot be set: " + ProviderConfig.reservedHeader(entry.getKey()).get());
            } else if (!entry.getValue().isTextual() || entry.getValue().asText().matches("(?s).*[\\r\\n].*")) {
                errors.put("headers." + entry.getKey(), "must be a single-line string");
            } else headers.put(entry.getKey(), entry.getValue().asText());
        }
        return headers;
    }
}
