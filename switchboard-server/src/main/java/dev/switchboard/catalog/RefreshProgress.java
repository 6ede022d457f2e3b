package dev.switchboard.catalog;

/** Told as each provider's fetch ends, so a long refresh can show progress (the CLI prints a line). */
@FunctionalInterface
public interface RefreshProgress {
    RefreshProgress NONE = (providerId, done, total) -> {
    };

    void fetched(String providerId, int done, int total);
}
