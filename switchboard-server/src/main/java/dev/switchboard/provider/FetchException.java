package dev.switchboard.provider;

import java.util.OptionalInt;

/**
 * An upstream answer that cannot be used. The message is the reason shown to operators
 * (e.g. {@code HTTP 500 from GET /models}); it never contains a credential. A non-2xx answer also
 * carries its status, for a dialect that treats one status differently (Ollama's 404 for a model
 * deleted between two calls).
 */
public final class FetchException extends Exception {
    private static final int NO_STATUS = -1;

    private final int httpStatus;

    public FetchException(String reason) {
        this(reason, NO_STATUS);
    }

    /** @param httpStatus the status of the non-2xx answer this reason describes */
    public FetchException(String reason, int httpStatus) {
        super(reason, null, false, false);
        this.httpStatus = httpStatus;
    }

    /** The status of the non-2xx answer that failed the call; empty for every other failure. */
    public OptionalInt httpStatus() {
        return httpStatus == NO_STATUS ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /** The same failure (status included) with another reason: a redacted or more specific one. */
    FetchException withReason(String reason) {
        return new FetchException(reason, httpStatus);
    }
}
