package dev.switchboard.configs;

/** Whether a configuration's target model is in its provider's catalog. */
public enum TargetStatus {
    /** The provider lists the model. */
    OK,
    /** The provider is gone, or its catalog no longer lists the model. */
    MISSING,
    /** The provider has not been fetched yet, so nobody knows. */
    UNKNOWN;

    public String wireName() {
        return name().toLowerCase();
    }

    public static TargetStatus fromWireName(String name) {
        return valueOf(name.toUpperCase());
    }
}
