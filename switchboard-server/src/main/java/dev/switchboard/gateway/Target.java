package dev.switchboard.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ProviderConfig;

import java.util.List;

/**
 * One upstream a request may be sent to: a provider, the model as that provider names it, and the
 * configuration's params to apply on the way.
 *
 * @param params      defaults: the request's own value of a param wins
 * @param fixedParams names of params sent as configured whatever the request says
 */
public record Target(ProviderConfig provider, String model, ObjectNode params, List<String> fixedParams) {
    public Target {
        fixedParams = List.copyOf(fixedParams);
    }

    /** {@code provider/model}, as the catalog and {@code X-Switchboard-Target} name it. */
    public String label() {
        return provider.id() + "/" + model;
    }
}
