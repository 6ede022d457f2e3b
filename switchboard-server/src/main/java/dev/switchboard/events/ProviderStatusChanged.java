package dev.switchboard.events;

import java.util.List;

/** {@code provider.status_changed}: a provider moved between ok, error and suspect. */
public record ProviderStatusChanged(String providerId, String from, String to, String reason) implements ChangeData {
    public static final String TYPE = "provider.status_changed";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> providerIds() {
        return List.of(providerId);
    }
}
