package dev.switchboard.catalog;

import dev.switchboard.provider.Model;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One provider's last-known-good model list and how it got there.
 *
 * @param models              the models served (last-known-good when the status is error or suspect)
 * @param pending             a suspect answer waiting for confirmation by the next fetch, else empty
 * @param fetchedAt           when the last fetch finished, success or not
 * @param lastSuccessAt       when a fetch last succeeded
 * @param lastError           the reason of the last failure, cleared by a success
 */
public record Snapshot(String providerId, ProviderStatus status, List<Model> models, List<Model> pending,
                       Optional<Instant> fetchedAt, Optional<Instant> lastSuccessAt, Optional<String> lastError,
                       int consecutiveFailures) {
    public Snapshot {
        Objects.requireNonNull(providerId, "providerId");
        Objects.requireNonNull(status, "status");
        models = ModelList.of(models); // immutable, with an id index for model()
        pending = List.copyOf(pending);
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        Objects.requireNonNull(lastSuccessAt, "lastSuccessAt");
        Objects.requireNonNull(lastError, "lastError");
    }

    public static Snapshot never(String providerId) {
        return new Snapshot(providerId, ProviderStatus.NEVER, List.of(), List.of(), Optional.empty(),
                Optional.empty(), Optional.empty(), 0);
    }

    public Optional<Model> model(String modelId) {
        return Optional.ofNullable(((ModelList) models).byId(modelId));
    }

    public Snapshot succeeded(List<Model> newModels, Instant at) {
        return new Snapshot(providerId, ProviderStatus.OK, newModels, List.of(), Optional.of(at), Optional.of(at),
                Optional.empty(), 0);
    }

    public Snapshot failed(String reason, Instant at) {
        return new Snapshot(providerId, ProviderStatus.ERROR, models, pending, Optional.of(at), lastSuccessAt,
                Optional.of(reason), consecutiveFailures + 1);
    }

    /** The same snapshot serving {@code resolved}: the same models with their normalised records. */
    public Snapshot withModels(List<Model> resolved) {
        return new Snapshot(providerId, status, resolved, pending, fetchedAt, lastSuccessAt, lastError, consecutiveFailures);
    }

    /** Holds a shrinking answer aside; the served models stay as they were. */
    public Snapshot suspect(List<Model> answer, String reason, Instant at) {
        return new Snapshot(providerId, ProviderStatus.SUSPECT, models, answer, Optional.of(at), lastSuccessAt,
                Optional.of(reason), consecutiveFailures);
    }
}
