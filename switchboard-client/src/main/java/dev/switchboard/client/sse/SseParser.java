package dev.switchboard.client.sse;

import java.util.Optional;

/**
 * Reads a Server-Sent Events stream line by line, as the HTML standard's EventSource does: {@code data:}
 * lines accumulate, a blank line dispatches the event (if it had data), the last {@code id:} carries over
 * to later events, and comments ({@code : ping}), {@code retry:} and unknown fields are ignored.
 *
 * <p>Not thread-safe: one parser per connection, so that an event cut off by a dropped connection does
 * not leak into the next one (create a new parser, and resume with {@link #lastId()} as Last-Event-ID).
 */
public final class SseParser {
    private String lastId;
    private String type;
    private StringBuilder data;

    /** Creates a parser at the start of a stream: no event under way and no id seen. */
    public SseParser() {
    }

    /**
     * Takes one line of the stream.
     *
     * @param line the line without its line break ({@code \n}, {@code \r\n} or {@code \r})
     * @return the event that this line completes: present only for the blank line that ends an event with data
     */
    public Optional<SseEvent> line(String line) {
        if (line.isEmpty()) return dispatch();
        if (line.startsWith(":")) return Optional.empty(); // a comment: the server's keep-alive ping
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) value = value.substring(1);
        switch (field) {
            case "id" -> {
                if (value.indexOf('\0') < 0) lastId = value; // the standard ignores an id with NUL in it
            }
            case "event" -> type = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> { } // retry, and fields a later version may add
        }
        return Optional.empty();
    }

    /**
     * The id of the last event seen: what to send as Last-Event-ID when reconnecting.
     *
     * @return the last {@code id:} field of the stream, empty when there was none
     */
    public Optional<String> lastId() {
        return Optional.ofNullable(lastId);
    }

    private Optional<SseEvent> dispatch() {
        Optional<SseEvent> event = data == null ? Optional.empty()
                : Optional.of(new SseEvent(lastId, type == null || type.isEmpty() ? "message" : type, data.toString()));
        type = null;
        data = null;
        return event;
    }
}
