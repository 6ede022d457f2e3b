package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The human form of one change-feed event, one line:
 * {@code r42  2026-11-24T10:00:00Z  model_catalog.changed  openai +1 -1}.
 */
final class EventLine {
    private EventLine() {
    }

    static String format(JsonNode envelope) {
        String type = envelope.path("type").asText();
        return "r" + envelope.path("revision").asLong() + "  " + envelope.path("time").asText() + "  " + type + "  "
                + summary(type, envelope.path("data"));
    }

    private static String summary(String type, JsonNode data) {
        return switch (type) {
            case "model_catalog.changed" -> catalogChanged(data);
            case "provider.status_changed" -> data.path("provider_id").asText() + " " + data.path("from").asText()
                    + " -> " + data.path("to").asText() + ": " + data.path("reason").asText();
            case "model_config.created", "model_config.updated" -> data.path("alias").asText() + " v" + data.path("version").asLong()
                    + " -> " + data.path("config").path("target").asText() + " (" + data.path("config").path("target_status").asText() + ")"
                    + (data.path("changed").isEmpty() ? "" : " changed: " + String.join(", ", texts(data.path("changed"))));
            case "model_config.deleted" -> data.path("alias").asText() + " v" + data.path("version").asLong() + " deleted";
            case "provider.created", "provider.updated", "provider.deleted" -> data.path("provider_id").asText()
                    + (data.path("changed").isEmpty() ? "" : " changed: " + String.join(", ", texts(data.path("changed"))));
            case "resync_required" -> "reload, then resume from r" + data.path("revision").asLong() + ": " + data.path("reason").asText();
            default -> data.toString();
        };
    }

    private static String catalogChanged(JsonNode data) {
        List<String> parts = new ArrayList<>();
        for (JsonNode changed : data.path("changed")) {
            StringBuilder part = new StringBuilder(changed.path("provider_id").asText());
            count(part, "+", changed.path("added"));
            count(part, "-", changed.path("removed"));
            count(part, "~", changed.path("updated"));
            parts.add(part.toString());
        }
        for (JsonNode failed : data.path("failed")) {
            parts.add(failed.path("provider_id").asText() + " failed (" + failed.path("reason").asText() + ")");
        }
        return String.join(", ", parts);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    private static void count(StringBuilder part, String sign, JsonNode ids) {
        if (!ids.isEmpty()) part.append(' ').append(sign).append(ids.size());
    }
}
