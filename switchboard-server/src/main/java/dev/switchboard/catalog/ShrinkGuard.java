package dev.switchboard.catalog;

import dev.switchboard.provider.Model;

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
        if (served.isEmpty()) return Optional.empty();
        if (answer.isEmpty()) {
            return Optional.of("upstream returned no models where " + served.size() + " were served");
        }
        Set<String> kept = ids(answer);
        long dropped = served.stream().filter(m -> !kept.contains(m.id())).count();
        if (dropped > maxDropFraction * served.size()) {
            return Optional.of("upstream dropped " + dropped + " of " + served.size() + " models (over the "
                    + Math.round(maxDropFraction * 100) + "% shrink guard)");
        }
        return Optional.empty();
    }

    /** A second answer with the same ids as the held one confirms it. */
    static boolean confirms(List<Model> pending, List<Model> answer) {
        return !pending.isEmpty() && ids(pending).equals(ids(answer));
    }

    private static Set<String> ids(List<Model> models) {
        return models.stream().map(Model::id).collect(Collectors.toSet());
    }
}
