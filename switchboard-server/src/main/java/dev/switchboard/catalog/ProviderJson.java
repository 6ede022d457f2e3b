package dev.switchboard.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.Secret;

/**
 * How an API-managed provider is read from a request body and shown as JSON (in answers and in events). The
 * catalog decides what a change does; the JSON is the HTTP layer's ({@code http.ProviderRequest}).
 */
public interface ProviderJson {
    /**
     * @param pathId  the id in the request's path, or null when the body names it
     * @param keptKey the stored credential, kept when the body does not mention {@code api_key}
     * @throws dev.switchboard.Problem.Invalid one message per bad field
     */
    ProviderConfig read(JsonNode body, String pathId, Secret keptKey);

    /** Refuses a merge patch that names a field providers do not have, before anything is computed. */
    void requireKnownFields(JsonNode patch);

    /** The provider as the API and events show it: settings, never the credential. */
    ObjectNode describe(ProviderConfig provider);
}
