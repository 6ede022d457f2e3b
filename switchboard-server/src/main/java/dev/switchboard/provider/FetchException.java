package dev.switchboard.provider;

/**
 * An upstream answer that cannot be used. The message is the reason shown to operators
 * (e.g. {@code HTTP 500 from GET /models}); it never contains a credential.
 */
public final class FetchException extends Exception {
    public FetchException(String reason) {
        super(reason, null, false, false);
    }
}
