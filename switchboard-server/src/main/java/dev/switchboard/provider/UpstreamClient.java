package dev.switchboard.provider;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.Map;

/**
 * How a dialect talks to its upstream: one GET (or, for the few APIs that want it, one POST with a JSON
 * body) that returns parsed JSON, or a {@link FetchException} whose message is a reason fit for operators.
 * Implementations enforce the per-request timeout, the response-size cap and the provider's total
 * deadline, and abort on shutdown.
 */
@FunctionalInterface
public interface UpstreamClient {
    JsonNode getJson(URI uri, Map<String, String> headers) throws FetchException, InterruptedException;

    /**
     * POSTs {@code body} as JSON and returns the parsed answer, under the same bounds and failure reasons
     * as {@link #getJson}. A non-2xx answer fails with its status ({@link FetchException#httpStatus}).
     * A client that can only GET (a test fake written as a lambda) refuses.
     */
    default JsonNode postJson(URI uri, Map<String, String> headers, JsonNode body) throws FetchException, InterruptedException {
        throw new FetchException("this upstream client cannot POST to " + FailureReasons.where(uri));
    }
}
