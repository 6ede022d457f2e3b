package dev.switchboard.client;

import java.util.Optional;

/** Server-Sent Events framing, one line at a time: {@code id:}, {@code event:}, {@code data:}, blank line dispatches. */
final class SseLines {
    record Event(String id, String type, String data) {
    }

    private String id;
    private String type;
    private StringBuilder data;

    Optional<Event> line(String line) {
        if (line.isEmpty()) {
            if (data == null && type == null) return Optional.empty();
            Event event = new Event(id, type == null ? "message" : type, data == null ? "" : data.toString());
            type = null;
            data = null;
            return Optional.of(event);
        }
        if (line.startsWith(":")) return Optional.empty(); // a comment: the server's ping
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
        switch (field) {
            case "id" -> id = value; // kept across events, as EventSource does: the last id seen
            case "event" -> type = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> {
            }
        }
        return Optional.empty();
    }
}
