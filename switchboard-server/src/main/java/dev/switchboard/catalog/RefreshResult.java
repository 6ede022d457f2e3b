package dev.switchboard.catalog;

import dev.switchboard.events.ProviderDiff;
import dev.switchboard.events.ProviderFailure;

import java.util.List;

/**
 * The answer of any refresh, over HTTP and in the CLI alike.
 *
 * @param revision  the catalog revision after the refresh (unchanged when nothing changed)
 * @param changed   providers whose models changed, with the model ids added, removed and updated
 * @param unchanged providers fetched with no change
 * @param failed    providers whose fetch failed; their last-known-good models are kept
 * @param suspect   providers whose answer dropped too many models and is held for confirmation
 */
public record RefreshResult(long revision, List<ProviderDiff> changed, List<String> unchanged,
                            List<ProviderFailure> failed, List<SuspectProvider> suspect) {
    public RefreshResult {
        changed = List.copyOf(changed);
        unchanged = List.copyOf(unchanged);
        failed = List.copyOf(failed);
        suspect = List.copyOf(suspect);
    }

    /** A held answer: how many models the provider served and how many the suspect answer had. */
    public record SuspectProvider(String providerId, int previousCount, int answerCount, String reason) {
    }
}
