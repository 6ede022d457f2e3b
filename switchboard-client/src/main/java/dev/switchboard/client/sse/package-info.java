/**
 * Server-Sent Events, read as the HTML standard's {@code EventSource} reads them: {@link
 * dev.switchboard.client.sse.SseParser} turns the lines of a {@code text/event-stream} body into
 * {@link dev.switchboard.client.sse.SseEvent}s. The SDK follows Switchboard's change feed with it; the
 * CLI's {@code events} command, the server's tests and the feed benchmark read the feed with the same
 * parser, so there is one reading of the wire format.
 */
package dev.switchboard.client.sse;
