package dev.switchboard.metadata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One field of the normalised model record, with its wire name and the one canonical form its value takes
 * whatever source gave it, so values from different providers and catalogs compare as equal or not.
 */
public enum MetadataField {
    DISPLAY_NAME("display_name", Shape.TEXT),
    CONTEXT_WINDOW("context_window", Shape.TOKENS),
    MAX_OUTPUT_TOKENS("max_output_tokens", Shape.TOKENS),
    INPUT_MODALITIES("input_modalities", Shape.MODALITIES),
    OUTPUT_MODALITIES("output_modalities", Shape.MODALITIES),
    CAPABILITIES("capabilities", Shape.CAPABILITIES),
    PRICING("pricing", Shape.PRICING),
    KNOWLEDGE_CUTOFF("knowledge_cutoff", Shape.DATE),
    RELEASE_DATE("release_date", Shape.DATE),
    DEPRECATED("deprecated", Shape.FLAG),
    DEPRECATION_DATE("deprecation_date", Shape.DATE),
    FAMILY("family", Shape.TEXT),
    OPEN_WEIGHTS("open_weights", Shape.FLAG);

    /** What a modality list may hold. */
    public static final List<String> MODALITIES = List.of("text", "image", "audio", "video", "file");
    /** What a capability list may hold. */
    public static final List<String> CAPABILITY_NAMES = List.of("tool_call", "reasoning", "structured_output", "json_mode",
            "vision", "streaming", "embeddings", "web_search", "code_execution");
    /** Pricing keys: US-style prices per one million tokens, and the ISO 4217 currency they are in. */
    public static final List<String> PRICES = List.of("input", "output", "cached_input");

    private static final Map<String, MetadataField> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(MetadataField::wireName, Function.identity()));
    private static final Pattern DATE_PATTERN = Pattern.compile("\\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?)?");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    private static final long MAX_TOKENS = 1L << 40;
    private static final double MAX_PRICE = 1e9;

    private final String wireName;
    private final Shape shape;

    MetadataField(String wireName, Shape shape) {
        this.wireName = wireName;
        this.shape = shape;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<MetadataField> fromWireName(String name) {
        return Optional.ofNullable(BY_WIRE_NAME.get(name));
    }

    public static String wireNames() {
        return Arrays.stream(values()).map(MetadataField::wireName).collect(Collectors.joining(", "));
    }

    /**
     * The canonical form of a value for this field.
     *
     * @throws IllegalArgumentException saying what the field takes, when the value does not fit
     */
    public JsonNode normalise(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) throw invalid("a value");
        return shape.normalise(this, value);
    }

    /** As {@link #normalise}, but empty for a value that does not fit: what upstream mappings use. */
    public Optional<JsonNode> tryNormalise(JsonNode value) {
        try {
            return Optional.of(normalise(value));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private IllegalArgumentException invalid(String expected) {
        return new IllegalArgumentException(wireName + " must be " + expected);
    }

    private enum Shape {
        TEXT {
            @Override
            JsonNode normalise(MetadataField field, JsonNode value) {
                if (!value.isTextual() || value.asText().isBlank() || value.asText().length() > 200) {
                    throw field.invalid("a non-blank string of at most 200 characters");
                }
                return NODES.textNode(value.asText().strip());
            }
        },
        TOKENS {
            @Override
            JsonNode normalise(MetadataField field, JsonNode value) {
                if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() <= 0 || value.asLong() > MAX_TOKENS) {
                    throw field.invalid("a positive whole number of tokens");
                }
                return NODES.numberNode(value.asLong());
            }
        },
        MODALITIES {
            @Override
            JsonNode normalise(MetadataField field, JsonNode value) {
                return names(field, value, MetadataField.MODALITIES);
            }
        },
        CAPABILITIES {
            @Override
            JsonNode normalise(MetadataField field, JsonNode value) {
                return names(field, value, CAPABILITY_NAMES);
            }
        },
        PRICING {
            @Override
            JsonNode normalise(MetadataField field, JsonNode value) {
                if (!(value instanceof ObjectNode object)) {
                    throw field.invalid("an object of prices per 1M tokens (" + String.join(", ", PRICES) + ") and a currency");
                }
                ObjectNode canonical = NODES.objectNode();
                for (String key : PRICES) {
                    JsonNode price = object.get(key);
                    if (price == null || price.isNull()) continue;
                    if (!price.isNumber() || price.asDouble() < 0 || !(price.asDouble() <= MAX_PRICE)) {
                        throw field.invalid("an object whose " + key + " is a price per 1M tokens, from 0 to " + (long) MAX_PRICE);
                    }
                    BigDecimal exact = price.decimalValue().stripTrailingZeros();
                    // whole prices as integers: 10, not 1E+1
                    if (exact.scale() <= 0) canonical.put(key, exact.longValueExact());
                    else canonical.put(key, exact);
                }
                if (canonical.isEmpty()) throw field.invalid("an object with at least one of " + String.join(", ", PRICES));
                JsonNode currency = object.get("currency");
                if (currency == null || !currency.isTextual() || !CURRENCY.matcher(currency.asText()).matches()) {
                    throw field.invalid("an object with a currency (three capital letters, e.g. \"USD\")");
                }
                canonical.put("currency", currency.asText());
                for (var names = object.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!PRICES.contains(name) && !name.equals("currency")) {
                        throw field.invalid("an object of " + String.join(", ", PRICES) + " and currency, not \"" + name + "\"");
                    }
                }
                return canonical;
            }
        },
        DATE {
            @Override
            JsonNode normalise(MetadataField field, JsonNode value) {
                if (!value.isTextual() || !DATE_PATTERN.matcher(value.asText()).matches()) {
                    throw field.invalid("a date: YYYY-MM-DD, YYYY-MM or YYYY");
                }
                return NODES.textNode(value.asText());
            }
        },
        FLAG {
            @Override
            JsonNode normalise(MetadataField field, JsonNode value) {
                if (!value.isBoolean()) throw field.invalid("true or false");
                return NODES.booleanNode(value.asBoolean());
            }
        };

        private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

        abstract JsonNode normalise(MetadataField field, JsonNode value);

        /** A set of known names, sorted in the vocabulary's own order so equal sets are equal arrays. */
        static JsonNode names(MetadataField field, JsonNode value, List<String> vocabulary) {
            if (!(value instanceof ArrayNode array)) throw field.invalid("a list of " + String.join(", ", vocabulary));
            Set<Integer> positions = new TreeSet<>();
            for (JsonNode item : array) {
                int position = item.isTextual() ? vocabulary.indexOf(item.asText().toLowerCase(Locale.ROOT)) : -1;
                if (position < 0) {
                    throw field.invalid("a list of " + String.join(", ", vocabulary) + ", not " + item);
                }
                positions.add(position);
            }
            ArrayNode canonical = NODES.arrayNode();
            for (int position : positions) canonical.add(vocabulary.get(position));
            return canonical;
        }
    }
}
