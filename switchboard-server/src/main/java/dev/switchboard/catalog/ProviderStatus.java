package dev.switchboard.catalog;

/** Health of a provider's snapshot, as the API and events show it. */
public enum ProviderStatus {
    /** Never fetched successfully and never failed: nothing known yet. */
    NEVER,
    /** The last fetch succeeded and was applied. */
    OK,
    /** The last fetch failed; the models are the last-known-good list. */
    ERROR,
    /** The last answer dropped too many models; it is held until the next fetch confirms it. */
    SUSPECT;

    public String wireName() {
        return name().toLowerCase();
    }

    public static ProviderStatus fromWireName(String name) {
        return valueOf(name.toUpperCase());
    }
}
