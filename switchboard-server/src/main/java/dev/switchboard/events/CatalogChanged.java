package dev.switchboard.events;

import java.util.List;
import java.util.stream.Stream;

/** {@code model_catalog.changed}: a refresh changed at least one provider's models. */
public record CatalogChanged(List<ProviderDiff> changed, List<ProviderFailure> failed) implements ChangeData {
    public static final String TYPE = "model_catalog.changed";

    public CatalogChanged {
        changed = List.copyOf(changed);
        failed = List.copyOf(failed);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public List<String> providerIds() {
        return Stream.concat(changed.stream().map(ProviderDiff::providerId), failed.stream().map(ProviderFailure::providerId))
                .distinct().toList();
    }
}
