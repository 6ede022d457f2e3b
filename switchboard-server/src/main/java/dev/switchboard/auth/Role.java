package dev.switchboard.auth;

import java.util.Arrays;
import java.util.Optional;

/**
 * Who may do what: {@code reader} reads and follows the feed, {@code caller} also calls models through the
 * gateway (which spends the providers' credits, so a dashboard's read-only key cannot), {@code writer} also edits
 * model configurations, {@code admin} may do everything. {@code PUBLIC} marks endpoints that need no key.
 * Each role covers the ones before it.
 */
public enum Role {
    PUBLIC, READER, CALLER, WRITER, ADMIN;

    /** True when a principal with this role may call an endpoint that requires {@code required}. */
    public boolean covers(Role required) {
        return required == PUBLIC || ordinal() >= required.ordinal();
    }

    public String wireName() {
        return name().toLowerCase();
    }

    /** Roles a key can have (not PUBLIC). */
    public static Optional<Role> ofKey(String name) {
        return Arrays.stream(values()).filter(r -> r != PUBLIC && r.wireName().equals(name)).findFirst();
    }
}
