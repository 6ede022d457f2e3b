package dev.switchboard.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.switchboard.client.ModelConfig;

import java.util.Set;

/**
 * A LangChain4j {@link StreamingChatModel} that follows a Switchboard alias: each call streams from the model the
 * alias's current configuration names, with its params; a change applies from the next call on, while streams in
 * flight finish where they started. Made by {@link SwitchboardModels#streamingChatModel(String)}. Thread-safe.
 *
 * <p>As with every streaming failure, a call that cannot start is reported to the handler's
 * {@link StreamingChatResponseHandler#onError onError}: {@link AliasNotConfiguredException} while the alias does
 * not exist (never created, or deleted), {@link AliasNotReadyException} when it could not be read from Switchboard
 * even once, {@link AliasUnusableException} when its current version cannot be called.
 */
public final class SwitchboardStreamingChatModel implements StreamingChatModel, AutoCloseable {
    private final LiveDelegate<StreamingChatModel> live;

    SwitchboardStreamingChatModel(LiveDelegate<StreamingChatModel> live) {
        this.live = live;
    }

    /**
     * The alias this model follows.
     *
     * @return the alias, such as {@code planner}
     */
    public String alias() {
        return live.alias();
    }

    /**
     * The configuration the next call uses: the version the current LangChain4j model was built from. Waits, as a
     * call does, for the first read of the alias.
     *
     * @return the configuration
     * @throws AliasNotConfiguredException when the alias does not exist
     * @throws AliasNotReadyException      when it could not be read yet
     * @throws AliasUnusableException      when its current version cannot be called
     */
    public ModelConfig currentConfig() {
        return live.ready().config();
    }

    @Override
    public void chat(ChatRequest chatRequest, ChatRequestOptions options, StreamingChatResponseHandler handler) {
        StreamingChatModel model;
        try {
            model = live.ready().model();
        } catch (AliasNotConfiguredException | AliasNotReadyException | AliasUnusableException e) {
            handler.onError(e);
            return;
        }
        model.chat(chatRequest, options, handler);
    }

    @Override
    public void doChat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
        StreamingChatModel model;
        try {
            model = live.ready().model();
        } catch (AliasNotConfiguredException | AliasNotReadyException | AliasUnusableException e) {
            handler.onError(e);
            return;
        }
        // doChat expects the parameters chat() would have merged: the model's defaults under the request's own
        model.doChat(ChatRequest.builder().messages(chatRequest.messages())
                .parameters(model.defaultRequestParameters().overrideWith(chatRequest.parameters())).build(), handler);
    }

    /** The current model's defaults (its model name and params); empty while there is no model. */
    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return live.peek().map(StreamingChatModel::defaultRequestParameters).orElse(DefaultChatRequestParameters.EMPTY);
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return live.peek().map(StreamingChatModel::supportedCapabilities).orElse(Set.of());
    }

    @Override
    public ModelProvider provider() {
        return live.peek().map(StreamingChatModel::provider).orElse(ModelProvider.OTHER);
    }

    /** Stops following the alias (and closes the live model when this model opened it); streams in flight finish. */
    @Override
    public void close() {
        live.close();
    }

    @Override
    public String toString() {
        return "SwitchboardStreamingChatModel[" + alias() + "]";
    }
}
