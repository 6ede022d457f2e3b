package dev.switchboard.client.sse;

/**
 * One dispatched Server-Sent Event.
 *
 * @param id   the last {@code id:} seen on the stream up to this event (it carries over to later events, as
 *             in EventSource); {@code null} when the stream has not sent one
 * @param type the {@code event:} field; {@code message} when the event named none
 * @param data the {@code data:} lines joined with {@code \n}
 */
public record SseEvent(String id, String type, String data) {
}
