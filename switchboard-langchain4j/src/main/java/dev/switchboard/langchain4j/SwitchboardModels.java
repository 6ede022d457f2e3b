package dev.switchboard.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.switchboard.client.LiveModel;
import dev.switchboard.client.ModelConfig;
import dev.switchboard.client.Switchboard;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Makes LangChain4j models that follow Switchboard aliases. Each model builds LangChain4j's OpenAI-compatible model
 * ({@link OpenAiChatModel}, {@link OpenAiStreamingChatModel}, {@link OpenAiEmbeddingModel}) from the alias's current
 * configuration and rebuilds it on every change, through the SDK's {@link LiveModel}:
 *
 * <pre>{@code
 * var sb = Switchboard.connect(URI.create("http://localhost:8080"), key);
 * SwitchboardModels models = SwitchboardModels.builder(sb)
 *         .gateway(URI.create("http://localhost:8080"), key)   // or .directly(provider -> endpoint)
 *         .build();
 * SwitchboardChatModel planner = models.chatModel("planner");
 * String answer = planner.chat("Plan my day");
 * }</pre>
 *
 * Calls go one of two ways, chosen once in the builder:
 * <ul>
 *   <li>{@link Builder#gateway through Switchboard's gateway}: {@code POST {switchboard}/v1/chat/completions} with
 *       {@code model} = the alias, and a Switchboard key; the gateway resolves the alias on every call, applies its
 *       params and fallbacks, and holds the providers' credentials;</li>
 *   <li>{@link Builder#directly to the provider}: the configuration's model at the provider's OpenAI-compatible
 *       endpoint, with the credentials the application supplies, its params as the model's defaults (the params
 *       LangChain4j names become its settings — {@code temperature}, {@code max_tokens}, {@code stop} … — and the
 *       rest are sent as they are). Fallbacks are the gateway's: a direct call goes to the target alone.</li>
 * </ul>
 * Thread-safe; the models it makes are independent of it.
 */
public final class SwitchboardModels {
    /** How long a call waits for the alias's first read before failing with {@link AliasNotReadyException}. */
    static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(10);

    private final Switchboard switchboard;
    private final Route route;
    private final Duration readyTimeout;
    private final Consumer<OpenAiChatModel.OpenAiChatModelBuilder> chatSettings;
    private final Consumer<OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder> streamingSettings;
    private final Consumer<OpenAiEmbeddingModel.OpenAiEmbeddingModelBuilder> embeddingSettings;

    private SwitchboardModels(Builder builder) {
        this.switchboard = builder.switchboard;
        this.route = builder.gateway != null ? builder.gateway : builder.direct;
        this.readyTimeout = builder.readyTimeout == null ? DEFAULT_READY_TIMEOUT : builder.readyTimeout;
        this.chatSettings = builder.chatSettings == null ? settings -> { } : builder.chatSettings;
        this.streamingSettings = builder.streamingSettings == null ? settings -> { } : builder.streamingSettings;
        this.embeddingSettings = builder.embeddingSettings == null ? settings -> { } : builder.embeddingSettings;
    }

    /**
     * Starts the options.
     *
     * @param switchboard the connection the models follow their aliases on
     * @return a builder
     */
    public static Builder builder(Switchboard switchboard) {
        return new Builder(switchboard);
    }

    /**
     * A chat model that follows {@code alias}, on a live model of its own (closed with it).
     *
     * @param alias the configuration's name, such as {@code planner}
     * @return the model; it reads the alias in the background, and its first call waits for that read
     */
    public SwitchboardChatModel chatModel(String alias) {
        return new SwitchboardChatModel(follow(switchboard.model(requireAlias(alias)), true, this::chat));
    }

    /**
     * A chat model that follows a live model the caller already has (and closes).
     *
     * @param live the live model; closing the chat model leaves it open
     * @return the model
     */
    public SwitchboardChatModel chatModel(LiveModel live) {
        return new SwitchboardChatModel(follow(Objects.requireNonNull(live, "live"), false, this::chat));
    }

    /**
     * A streaming chat model that follows {@code alias}, on a live model of its own (closed with it).
     *
     * @param alias the configuration's name, such as {@code planner}
     * @return the model; it reads the alias in the background, and its first call waits for that read
     */
    public SwitchboardStreamingChatModel streamingChatModel(String alias) {
        return new SwitchboardStreamingChatModel(follow(switchboard.model(requireAlias(alias)), true, this::streaming));
    }

    /**
     * A streaming chat model that follows a live model the caller already has (and closes).
     *
     * @param live the live model; closing the streaming model leaves it open
     * @return the model
     */
    public SwitchboardStreamingChatModel streamingChatModel(LiveModel live) {
        return new SwitchboardStreamingChatModel(follow(Objects.requireNonNull(live, "live"), false, this::streaming));
    }

    /**
     * An embedding model that follows {@code alias}, on a live model of its own (closed with it).
     *
     * @param alias the configuration's name, such as {@code embedder}
     * @return the model; it reads the alias in the background, and its first call waits for that read
     */
    public SwitchboardEmbeddingModel embeddingModel(String alias) {
        return new SwitchboardEmbeddingModel(follow(switchboard.model(requireAlias(alias)), true, this::embedding));
    }

    /**
     * An embedding model that follows a live model the caller already has (and closes).
     *
     * @param live the live model; closing the embedding model leaves it open
     * @return the model
     */
    public SwitchboardEmbeddingModel embeddingModel(LiveModel live) {
        return new SwitchboardEmbeddingModel(follow(Objects.requireNonNull(live, "live"), false, this::embedding));
    }

    private <D> LiveDelegate<D> follow(LiveModel live, boolean owns, Function<ModelConfig, D> factory) {
        return new LiveDelegate<>(live, owns, factory, readyTimeout);
    }

    private static String requireAlias(String alias) {
        Objects.requireNonNull(alias, "alias");
        if (alias.isBlank()) throw new IllegalArgumentException("alias must not be blank");
        return alias;
    }

    // The application's settings first, then the target's: the endpoint, key, model and params are the
    // configuration's to say (a parameter the settings set, such as temperature, still overrides the params).

    private ChatModel chat(ModelConfig config) {
        Route.Target target = route.target(config);
        OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder();
        chatSettings.accept(builder);
        return builder.baseUrl(target.baseUrl()).apiKey(target.apiKey()).modelName(target.modelName())
                .defaultRequestParameters(OpenAiParams.chat(target.params())).build();
    }

    private StreamingChatModel streaming(ModelConfig config) {
        Route.Target target = route.target(config);
        OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder builder = OpenAiStreamingChatModel.builder();
        streamingSettings.accept(builder);
        return builder.baseUrl(target.baseUrl()).apiKey(target.apiKey()).modelName(target.modelName())
                .defaultRequestParameters(OpenAiParams.chat(target.params())).build();
    }

    private EmbeddingModel embedding(ModelConfig config) {
        Route.Target target = route.target(config);
        OpenAiEmbeddingModel.OpenAiEmbeddingModelBuilder builder = OpenAiEmbeddingModel.builder();
        embeddingSettings.accept(builder);
        OpenAiParams.embedding(target.params(), builder);
        return builder.baseUrl(target.baseUrl()).apiKey(target.apiKey()).modelName(target.modelName()).build();
    }

    /**
     * The options: where calls go (exactly one of {@link #gateway} and {@link #directly}), how long a first call
     * waits, and settings for the LangChain4j models. Each option may be set once; {@link #build()} checks them.
     */
    public static final class Builder {
        private final Switchboard switchboard;
        private Route.Gateway gateway;
        private Route.Direct direct;
        private Duration readyTimeout;
        private Consumer<OpenAiChatModel.OpenAiChatModelBuilder> chatSettings;
        private Consumer<OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder> streamingSettings;
        private Consumer<OpenAiEmbeddingModel.OpenAiEmbeddingModelBuilder> embeddingSettings;

        private Builder(Switchboard switchboard) {
            this.switchboard = Objects.requireNonNull(switchboard, "switchboard");
        }

        /**
         * Calls go through Switchboard's gateway: {@code {switchboardUrl}/v1/chat/completions} (and
         * {@code /v1/embeddings}) with {@code model} = the alias. The gateway applies the configuration's params,
         * fallbacks and provider credentials on each call, so the models send none of them.
         *
         * @param switchboardUrl Switchboard's URL, such as {@code http://localhost:8080}; a path in it is kept
         * @param apiKey         a Switchboard key with the {@code caller} role; {@code null} for a server without auth
         * @return this builder
         * @throws IllegalStateException    when it was set already
         * @throws IllegalArgumentException when the URL is not http(s) with a host, or has a query or fragment
         */
        public Builder gateway(URI switchboardUrl, String apiKey) {
            Objects.requireNonNull(switchboardUrl, "switchboardUrl");
            requireState(gateway == null, "gateway was already set to " + (gateway == null ? "" : gateway.baseUrl()));
            if (!("http".equals(switchboardUrl.getScheme()) || "https".equals(switchboardUrl.getScheme()))
                    || switchboardUrl.getHost() == null || switchboardUrl.getRawQuery() != null
                    || switchboardUrl.getRawFragment() != null) {
                throw new IllegalArgumentException("switchboardUrl must be an http(s) URL with a host and at most a "
                        + "path, such as http://localhost:8080, got " + switchboardUrl);
            }
            String root = switchboardUrl.toString();
            if (root.endsWith("/")) root = root.substring(0, root.length() - 1);
            this.gateway = new Route.Gateway(root + "/v1", apiKey);
            return this;
        }

        /**
         * Calls go to the provider the configuration names, at the endpoint the application gives for it, with the
         * configuration's model and params. Called on every change of configuration, with its provider id.
         *
         * @param endpoints the base URL and credential for a provider id; {@code null} for a provider the
         *                  application cannot call (a call then fails with {@link AliasUnusableException})
         * @return this builder
         * @throws IllegalStateException when it was set already
         */
        public Builder directly(Function<String, ProviderEndpoint> endpoints) {
            Objects.requireNonNull(endpoints, "endpoints");
            requireState(direct == null, "directly was already set");
            this.direct = new Route.Direct(endpoints);
            return this;
        }

        /**
         * How long a call (or {@code currentConfig()}) waits for the first read of its alias, so that a model used
         * right after it is made does not fail; once read, calls never wait.
         *
         * @param timeout zero or more (default 10 s)
         * @return this builder
         * @throws IllegalStateException    when it was set already
         * @throws IllegalArgumentException when it is negative
         */
        public Builder readyTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            requireState(readyTimeout == null, "readyTimeout was already set to " + readyTimeout);
            if (timeout.isNegative()) throw new IllegalArgumentException("readyTimeout must not be negative, got " + timeout);
            this.readyTimeout = timeout;
            return this;
        }

        /**
         * Settings for every {@link OpenAiChatModel} built (once per configuration version, on the live model's
         * thread): timeouts, retries, listeners, logging, an HTTP client. The base URL, API key, model name and
         * default request parameters are set after it, from the configuration.
         *
         * @param settings applied to each new builder
         * @return this builder
         * @throws IllegalStateException when it was set already
         */
        public Builder chatModelSettings(Consumer<OpenAiChatModel.OpenAiChatModelBuilder> settings) {
            Objects.requireNonNull(settings, "settings");
            requireState(chatSettings == null, "chatModelSettings was already set");
            this.chatSettings = settings;
            return this;
        }

        /**
         * Settings for every {@link OpenAiStreamingChatModel} built, as {@link #chatModelSettings}.
         *
         * @param settings applied to each new builder
         * @return this builder
         * @throws IllegalStateException when it was set already
         */
        public Builder streamingChatModelSettings(Consumer<OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder> settings) {
            Objects.requireNonNull(settings, "settings");
            requireState(streamingSettings == null, "streamingChatModelSettings was already set");
            this.streamingSettings = settings;
            return this;
        }

        /**
         * Settings for every {@link OpenAiEmbeddingModel} built, as {@link #chatModelSettings}.
         *
         * @param settings applied to each new builder
         * @return this builder
         * @throws IllegalStateException when it was set already
         */
        public Builder embeddingModelSettings(Consumer<OpenAiEmbeddingModel.OpenAiEmbeddingModelBuilder> settings) {
            Objects.requireNonNull(settings, "settings");
            requireState(embeddingSettings == null, "embeddingModelSettings was already set");
            this.embeddingSettings = settings;
            return this;
        }

        /**
         * Checks the options and makes the factory.
         *
         * @return the factory
         * @throws IllegalStateException when neither or both of {@link #gateway} and {@link #directly} were set
         */
        public SwitchboardModels build() {
            requireOneRoute();
            return new SwitchboardModels(this);
        }

        private void requireOneRoute() {
            requireState(gateway != null || direct != null, "where calls go is not set: call gateway(switchboardUrl, "
                    + "apiKey) to call through Switchboard's gateway, or directly(providerId -> endpoint) to call "
                    + "providers with the application's credentials");
            requireState(gateway == null || direct == null, "gateway(…) and directly(…) were both set; calls go one "
                    + "way: through the gateway, or directly to the providers");
        }

        private static void requireState(boolean expression, String message) {
            if (!expression) throw new IllegalStateException(message);
        }
    }
}
