package dev.switchboard.events;

/** A provider whose fetch failed, with the reason operators see. */
public record ProviderFailure(String providerId, String reason) {
}
