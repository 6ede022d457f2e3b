package dev.switchboard.catalog;

/** Why a refresh runs; a metrics tag and a log field. */
public enum RefreshTrigger {
    START, SCHEDULE, MANUAL, MISS;

    public String tag() {
        return name().toLowerCase();
    }
}
