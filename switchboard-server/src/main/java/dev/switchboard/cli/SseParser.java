package dev.switchboard.cli;

import java.util.Optional;

/**
 * Reads a Server-Sent Events stream line by line, as the HTML standard's EventSource does: {@code data:}
 * lines accumulate, a blank line dispatches the event, the last {@code id:} carries over to later events,
 * and comments ({@code : ping}) and unknown fields are ignored.
 */
public final class SseParser {
    /** One dispatched event; {@code type} is {@code message} when the stream named none. */
    public record Event(String id, String type, String data) {
    }

    private String lastId;
    private String type;
    private StringBuilder data;

    /** Takes one line (without its line break); returns the event a blank line completes. */
    public Optional<Event> line(String line) {
        if (line.isEmpty()) return dispatch();
        if (line.startsWith(":")) return Optional.empty();
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) value = value.substring(1);
        switch (field) {
            case "id" -> {
                if (value.indexOf('\0') < 0) lastId = value;
            }
            case "event" -> type = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> { } // retry, and fields a later version may add
        }
        return Optional.empty();
    }

    /** The id of the last event seen: what to send as Last-Event-ID when reconnecting. */
    public Optional<String> lastId() {
        return Optional.ofNullable(lastId);
    }

    private Optional<Event> dispatch() {
        Optional<Event> event = data == null ? Optional.empty()
                : Optional.of(new Event(lastId, type == null || type.isEmpty() ? "message" : type, data.toString()));
        type = null;
        data = null;
        return event;
    }
}
