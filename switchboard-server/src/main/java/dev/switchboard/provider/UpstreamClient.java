package dev.switchboard.provider;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.Map;

/**
 * How a dialect talks to its upstream: one GET that returns parsed JSON, or a {@link FetchException}
 * whose message is a reason fit for operators. Implementations enforce the per-request timeout,
 * the response-size cap and the provider's total deadline, and abort on shutdown.
 */
public interface UpstreamClient {
    JsonNode getJson(URI uri, Map<String, String> headers) throws FetchException, InterruptedException;
}
