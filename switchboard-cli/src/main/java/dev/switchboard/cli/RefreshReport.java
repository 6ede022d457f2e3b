package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The human form of a refresh result: one line per provider. */
final class RefreshReport {
    private RefreshReport() {
    }

    static void print(JsonNode result, PrintWriter out) {
        out.println("revision " + result.path("revision").asLong());
        for (JsonNode changed : result.path("changed")) {
            out.printf("  changed    %-24s %s%n", changed.path("provider_id").asText(), summary(changed));
        }
        for (JsonNode unchanged : result.path("unchanged")) {
            out.printf("  unchanged  %s%n", unchanged.asText());
        }
        for (JsonNode suspect : result.path("suspect")) {
            out.printf("  suspect    %-24s %s (held; refresh with --force to apply)%n", suspect.path("provider_id").asText(),
                    suspect.path("reason").asText());
        }
        for (JsonNode failed : result.path("failed")) {
            out.printf("  failed     %-24s %s%n", failed.path("provider_id").asText(), failed.path("reason").asText());
        }
    }

    private static String summary(JsonNode changed) {
        List<String> parts = new ArrayList<>();
        part(parts, "+", changed.path("added"));
        part(parts, "-", changed.path("removed"));
        part(parts, "~", changed.path("updated"));
        return String.join("  ", parts);
    }

    private static void part(List<String> parts, String sign, JsonNode ids) {
        if (ids.isEmpty()) return;
        List<String> names = new ArrayList<>();
        for (JsonNode id : ids) names.add(id.asText());
        String shown = names.size() <= 5 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 5)) + ", … (" + names.size() + ")";
        parts.add(sign + names.size() + " [" + shown + "]");
    }
}
