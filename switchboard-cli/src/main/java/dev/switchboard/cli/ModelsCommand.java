package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Lists the catalog as the server serves it at {@code /v1/models}, filtered by the server. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List the models in the catalog.")
final class ModelsCommand extends ApiCommand {
    @Option(names = {"-p", "--provider"}, paramLabel = "ID", description = "Only this provider's models.")
    String provider;

    @Option(names = "--kind", paramLabel = "KIND", description = "Only models or only aliases: model, alias.")
    String kind;

    @Option(names = "--capability", paramLabel = "NAME", split = ",",
            description = "Only models with every one of these capabilities (e.g. tool_call,vision).")
    List<String> capabilities = new ArrayList<>();

    @Option(names = "--input-modality", paramLabel = "NAME", split = ",",
            description = "Only models that take every one of these inputs (text, image, audio, video, file).")
    List<String> inputModalities = new ArrayList<>();

    @Option(names = "--min-context", paramLabel = "TOKENS", description = "Only models with a known context window of at least this many tokens.")
    Long minContext;

    @Option(names = "--max-input-price", paramLabel = "PRICE",
            description = "Only models with a known input price of at most this, per 1M tokens, in the model's own currency (not converted).")
    BigDecimal maxInputPrice;

    @Override
    public Integer call() throws Exception {
        JsonNode list = send("GET", "/v1/models" + query(), null, Map.of());
        if (json) {
            print(list);
            return 0;
        }
        String row = "%-56s %-8s %-9s %-16s %s";
        say(String.format(row, "ID", "STATUS", "CONTEXT", "OWNED BY", "CAPABILITIES"));
        int aliases = 0;
        for (JsonNode entry : list.path("data")) {
            JsonNode extension = entry.path("switchboard");
            boolean alias = extension.path("kind").asText().equals("alias");
            if (alias) aliases++;
            JsonNode normalized = extension.path("normalized");
            // an alias has no status of its own: its target's
            say(String.format(row, entry.path("id").asText(), extension.path(alias ? "target_status" : "status").asText(),
                    tokens(normalized.path("context_window")), entry.path("owned_by").asText(), names(normalized.path("capabilities"))).stripTrailing());
        }
        say(count(list.path("data").size() - aliases, "model") + ", " + count(aliases, "alias"));
        return 0;
    }

    /** The filters as the server takes them; the server checks the names and numbers and says what is wrong. */
    String query() {
        StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
        add(query, "provider", provider);
        add(query, "kind", kind);
        if (!capabilities.isEmpty()) add(query, "capability", String.join(",", capabilities));
        if (!inputModalities.isEmpty()) add(query, "input_modality", String.join(",", inputModalities));
        if (minContext != null) add(query, "min_context", minContext.toString());
        if (maxInputPrice != null) add(query, "max_input_price", maxInputPrice.toPlainString());
        return query.toString();
    }

    private static void add(StringJoiner query, String name, String value) {
        if (value != null) query.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8).replace("%2C", ","));
    }

    /** A context window compactly as model cards write it: 200k (200000), 128k (131072), 1M; "-" when unknown. */
    static String tokens(JsonNode value) {
        if (!value.canConvertToLong()) return "-";
        long n = value.asLong();
        if (n >= 1_000_000 && n % 1_000_000 == 0) return n / 1_000_000 + "M";
        if (n >= 1_000 && n % 1_000 == 0) return n / 1_000 + "k";
        if (n >= 1_024 && n % 1_024 == 0) return n / 1_024 + "k";
        return Long.toString(n);
    }

    private static String names(JsonNode array) {
        List<String> names = new ArrayList<>();
        array.forEach(name -> names.add(name.asText()));
        return names.isEmpty() ? "-" : String.join(",", names);
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : noun.endsWith("s") ? "es" : "s");
    }
}
