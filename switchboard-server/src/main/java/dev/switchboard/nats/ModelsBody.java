package dev.switchboard.nats;

/** The {@code GET /v1/models} body as the server currently serves it, and the revision it shows. */
public record ModelsBody(long revision, byte[] json) {
}
