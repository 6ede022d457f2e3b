package dev.switchboard.config;

/** A configuration that cannot be used; the message names the file, the line and what to fix. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
