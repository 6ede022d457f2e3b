package dev.switchboard.catalog;

import dev.switchboard.provider.Model;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Holds back an answer that drops more than a fraction of a provider's models (or all of them):
 * an upstream having a bad minute must not empty the catalog. The next fetch confirms it.
 */
final class ShrinkGuard {
    private final double maxDropFraction;

    ShrinkGuard(double maxDropFraction) {
        this.maxDropFraction = maxDropFraction;
    }

    /** The reason to hold {@code answer}, or empty when it may be applied. */
    Optional<String> check(List<Model> served, List<Model> answer) {
        return check(served.stream().map(Model::id).toList(), ids(answer));
    }

    /** As above, by model key: what a metadata catalog compares ({@code provider/model}). */
    Optional<String> check(Collection<String> served, Set<String> answer) {
        if (served.isEmpty()) return Optional.empty();
        if (answer.isEmpty()) {
            return Optional.of("upstream returned no models where " + served.size() + " were served");
        }
        long dropped = served.stream().filter(id -> !answer.contains(id)).count();
        if (dropped > maxDropFraction * served.size()) {
            return Optional.of("upstream dropped " + dropped + " of " + served.size() + " models (over the "
                    + Math.round(maxDropFraction * 100) + "% shrink guard)");
        }
        return Optional.empty();
    }

    /**
     * A second answer with the same ids as the held one confirms it. What is held is the pending list of a
     * suspect snapshot, an empty one included (an upstream may really drop to zero models: an empty list
     * there is the held answer, not "nothing held"), or a non-empty pending list kept through failed
     * fetches since.
     */
    static boolean confirms(Snapshot previous, List<Model> answer) {
        boolean holding = previous.status() == ProviderStatus.SUSPECT || !previous.pending().isEmpty();
        return holding && ids(previous.pending()).equals(ids(answer));
    }

    private static Set<String> ids(List<Model> models) {
        return models.stream().map(Model::id).collect(Collectors.toSet());
    }
}
