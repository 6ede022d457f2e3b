package dev.switchboard.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One entry of the change feed, as stored and as sent: {@code {revision, type, time, data}}.
 * {@code data} is kept as JSON so events from the log replay byte for byte as they were published; it is a
 * {@code MissingNode} when the log holds data that cannot be read.
 */
public record ChangeEvent(long revision, String type, Instant time, JsonNode data) {
}
