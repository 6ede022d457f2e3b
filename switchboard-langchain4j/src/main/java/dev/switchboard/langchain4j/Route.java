package dev.switchboard.langchain4j;

import dev.switchboard.client.ModelConfig;

import java.util.Map;
import java.util.function.Function;

/** Where a configuration's calls go: through Switchboard's gateway, or to the provider with the application's key. */
sealed interface Route {
    /** What one version of a configuration is called at. */
    Target target(ModelConfig config);

    /**
     * The OpenAI-compatible endpoint to build a LangChain4j model for.
     *
     * @param params the configuration's params to send as the model's defaults; empty through the gateway
     */
    record Target(String baseUrl, String apiKey, String modelName, Map<String, Object> params) {
    }

    /**
     * Calls {@code POST {switchboard}/v1/chat/completions} with {@code model} = the alias: the gateway resolves the
     * alias on every call and applies its params (as defaults, and its fixed params), so none are sent from here —
     * a value sent from a version this process has not yet replaced would override the gateway's newer one.
     */
    record Gateway(String baseUrl, String apiKey) implements Route {
        @Override
        public Target target(ModelConfig config) {
            return new Target(baseUrl, apiKey, config.alias(), Map.of());
        }

        @Override
        public String toString() {
            return "Gateway[baseUrl=" + baseUrl + "]";
        }
    }

    /** Calls the provider's own OpenAI-compatible API with the configuration's model and params. */
    record Direct(Function<String, ProviderEndpoint> endpoints) implements Route {
        @Override
        public Target target(ModelConfig config) {
            ProviderEndpoint endpoint = endpoints.apply(config.provider());
            if (endpoint == null) {
                throw new IllegalArgumentException("the application has no endpoint for provider \"" + config.provider()
                        + "\" (the function given to directly(…) returned null)");
            }
            return new Target(endpoint.baseUrl(), endpoint.apiKey(), config.model(), config.params());
        }
    }
}
