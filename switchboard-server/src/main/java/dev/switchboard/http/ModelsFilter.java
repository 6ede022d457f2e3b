package dev.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Problem;
import dev.switchboard.metadata.MetadataField;
import dev.switchboard.metadata.ModelFacts;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The query of {@code GET /v1/models}, normalised: csv values sorted and deduplicated, numbers in one canonical text,
 * so equivalent queries ({@code capability=vision,tool_call} and {@code capability=tool_call,vision}) have one
 * {@link #key()}, one cached body and one ETag.
 *
 * <p>{@code provider} and {@code kind} select by where an entry comes from (an alias by its target's provider); the
 * others test the normalised record (an alias's: its target model's), and a model that lacks the field tested never
 * matches: {@code capability} and {@code input_modality} need every listed name, {@code min_context} a
 * {@code context_window} at least that, {@code max_input_price} a {@code pricing.input} at most that, in the pricing's
 * own currency (currencies are not converted). Each list parameter may be repeated (the lists are joined).
 */
final class ModelsFilter {
    static final String PROVIDER = "provider";
    static final String KIND = "kind";
    static final String CAPABILITY = "capability";
    static final String INPUT_MODALITY = "input_modality";
    static final String MIN_CONTEXT = "min_context";
    static final String MAX_INPUT_PRICE = "max_input_price";
    static final List<String> PARAMETERS = List.of(PROVIDER, KIND, CAPABILITY, INPUT_MODALITY, MIN_CONTEXT, MAX_INPUT_PRICE);
    static final List<String> KINDS = List.of("model", "alias");
    static final ModelsFilter NONE = new ModelsFilter(null, null, List.of(), List.of(), null, null);

    private static final Pattern WHOLE = Pattern.compile("\\d{1,15}");
    private static final Pattern DECIMAL = Pattern.compile("\\d{1,12}(\\.\\d{1,12})?");

    private final List<String> providers;
    private final List<String> kinds;
    private final List<String> capabilities;
    private final List<String> inputModalities;
    private final Long minContext;
    private final BigDecimal maxInputPrice;
    private final String key;

    /** Null {@code providers} or {@code kinds} means all; the lists are already sorted and deduplicated. */
    private ModelsFilter(List<String> providers, List<String> kinds, List<String> capabilities, List<String> inputModalities,
                         Long minContext, BigDecimal maxInputPrice) {
        this.providers = providers;
        this.kinds = kinds;
        this.capabilities = capabilities;
        this.inputModalities = inputModalities;
        this.minContext = minContext;
        this.maxInputPrice = maxInputPrice;
        StringBuilder text = new StringBuilder();
        if (providers != null) text.append(PROVIDER).append('=').append(String.join(",", providers)).append('&');
        if (kinds != null) text.append(KIND).append('=').append(String.join(",", kinds)).append('&');
        if (!capabilities.isEmpty()) text.append(CAPABILITY).append('=').append(String.join(",", capabilities)).append('&');
        if (!inputModalities.isEmpty()) text.append(INPUT_MODALITY).append('=').append(String.join(",", inputModalities)).append('&');
        if (minContext != null) text.append(MIN_CONTEXT).append('=').append(minContext).append('&');
        if (maxInputPrice != null) text.append(MAX_INPUT_PRICE).append('=').append(maxInputPrice.toPlainString()).append('&');
        if (!text.isEmpty()) text.setLength(text.length() - 1);
        this.key = text.toString();
    }

    /**
     * Parses the parameters {@code values} gives (all values of one name, empty when absent); other parameters are
     * not its business.
     *
     * @throws Problem.Invalid naming the parameter and what it takes
     */
    static ModelsFilter parse(Function<String, List<String>> values) {
        List<String> providers = csv(values.apply(PROVIDER));
        List<String> kinds = names(KIND, csv(values.apply(KIND)), KINDS);
        if (kinds != null && kinds.size() == KINDS.size()) kinds = null; // both kinds: no restriction
        List<String> capabilities = names(CAPABILITY, csv(values.apply(CAPABILITY)), MetadataField.CAPABILITY_NAMES);
        List<String> modalities = names(INPUT_MODALITY, csv(values.apply(INPUT_MODALITY)), MetadataField.MODALITIES);
        String minContext = single(MIN_CONTEXT, values.apply(MIN_CONTEXT));
        String maxPrice = single(MAX_INPUT_PRICE, values.apply(MAX_INPUT_PRICE));
        if (minContext != null && !WHOLE.matcher(minContext).matches()) {
            throw invalid(MIN_CONTEXT, "a whole number of tokens, zero or more (e.g. 128000)", minContext);
        }
        if (maxPrice != null && !DECIMAL.matcher(maxPrice).matches()) {
            throw invalid(MAX_INPUT_PRICE, "a price per 1M input tokens, zero or more, in plain decimals (e.g. 2.5)", maxPrice);
        }
        return new ModelsFilter(providers, kinds, capabilities == null ? List.of() : capabilities,
                modalities == null ? List.of() : modalities, minContext == null ? null : Long.valueOf(minContext),
                maxPrice == null ? null : canonical(new BigDecimal(maxPrice)));
    }

    /**
     * The filter of a raw query string when it has only filter parameters, well-formed; else null, and the caller
     * goes the long way (the router: other parameters such as {@code min_revision}, and the error answers).
     */
    static ModelsFilter fromQuery(String query) {
        Map<String, List<String>> params = new HashMap<>(8);
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) end = query.length();
            if (end > start) {
                int equals = query.indexOf('=', start);
                if (equals < 0 || equals > end) return null;
                String name = query.substring(start, equals);
                if (!PARAMETERS.contains(name)) return null;
                String value = decode(query.substring(equals + 1, end));
                if (value == null) return null;
                params.computeIfAbsent(name, n -> new ArrayList<>(1)).add(value);
            }
            start = end + 1;
        }
        try {
            return parse(name -> params.getOrDefault(name, List.of()));
        } catch (Problem.Invalid e) {
            return null;
        }
    }

    private static String decode(String value) {
        if (value.indexOf('%') < 0 && value.indexOf('+') < 0) return value;
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    /** The canonical text of the filter, empty when it keeps everything. */
    String key() {
        return key;
    }

    /** A short hash of {@link #key()}, for ETags; empty for no filter (the full list's ETag stays as it is). */
    String hash() {
        if (key.isEmpty()) return "";
        CRC32 crc = new CRC32(); // computed when a body is rendered, not on each request's lookup
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        return String.format("%08x", crc.getValue());
    }

    boolean isEmpty() {
        return key.isEmpty();
    }

    /** True when the entries of this provider may be in the answer. */
    boolean allowsProvider(String providerId) {
        return providers == null || providers.contains(providerId);
    }

    boolean allowsKind(String kind) {
        return kinds == null || kinds.contains(kind);
    }

    /** True when the list needs each entry's normalised record, not only where it comes from. */
    boolean testsMetadata() {
        return !capabilities.isEmpty() || !inputModalities.isEmpty() || minContext != null || maxInputPrice != null;
    }

    /** True when the normalised record has every capability and modality asked for, a large enough window and a low enough price. */
    boolean matches(ModelFacts facts) {
        if (!containsAll(facts, MetadataField.CAPABILITIES, capabilities)) return false;
        if (!containsAll(facts, MetadataField.INPUT_MODALITIES, inputModalities)) return false;
        if (minContext != null) {
            JsonNode window = facts.values().get(MetadataField.CONTEXT_WINDOW);
            if (window == null || window.asLong() < minContext) return false;
        }
        if (maxInputPrice != null) {
            JsonNode pricing = facts.values().get(MetadataField.PRICING);
            JsonNode input = pricing == null ? null : pricing.get("input");
            return input != null && input.isNumber() && input.decimalValue().compareTo(maxInputPrice) <= 0;
        }
        return true;
    }

    private static boolean containsAll(ModelFacts facts, MetadataField field, List<String> wanted) {
        if (wanted.isEmpty()) return true;
        JsonNode have = facts.values().get(field);
        if (have == null) return false;
        for (String name : wanted) {
            boolean found = false;
            for (JsonNode item : have) {
                if (item.asText().equals(name)) {
                    found = true;
                    break;
                }
            }
            if (!found) return false;
        }
        return true;
    }

    /** A comma-separated, repeatable parameter: sorted and deduplicated, or null when absent. */
    /** {@link QueryParams#csv}, sorted: equal filters have one key. */
    private static List<String> csv(List<String> values) {
        Set<String> given = QueryParams.csv(values);
        return given == null ? null : List.copyOf(new TreeSet<>(given));
    }

    private static List<String> names(String parameter, List<String> given, List<String> allowed) {
        if (given == null) return null;
        for (String name : given) {
            if (!allowed.contains(name)) {
                throw invalid(parameter, "a comma-separated list of " + String.join(", ", allowed), name);
            }
        }
        return given;
    }

    private static String single(String parameter, List<String> values) {
        if (values.isEmpty()) return null;
        if (values.size() > 1) throw invalid(parameter, "given once", String.join(" and ", values));
        return values.getFirst().trim();
    }

    /** One text per number: 2.50 and 2.5 are one filter. */
    private static BigDecimal canonical(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    private static Problem.Invalid invalid(String parameter, String expected, String got) {
        return new Problem.Invalid(parameter + " must be " + expected + ", got \"" + got + "\"", Map.of(parameter, "must be " + expected));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ModelsFilter filter && filter.key.equals(key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key);
    }

    @Override
    public String toString() {
        return key.isEmpty() ? "(no filter)" : key;
    }
}
