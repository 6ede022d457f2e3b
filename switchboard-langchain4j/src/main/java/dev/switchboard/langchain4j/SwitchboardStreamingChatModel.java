package dev.switchboard.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;

import java.util.Optional;
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
public final class SwitchboardStreamingChatModel extends FollowingModel<StreamingChatModel> implements StreamingChatModel {
    SwitchboardStreamingChatModel(LiveDelegate<StreamingChatModel> live) {
        super(live);
    }

    @Override
    public void chat(ChatRequest chatRequest, ChatRequestOptions options, StreamingChatResponseHandler handler) {
        modelOrReport(handler).ifPresent(model -> model.chat(chatRequest, options, handler));
    }

    @Override
    public void doChat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
        // doChat expects the parameters chat() would have merged: the model's defaults under the request's own
        modelOrReport(handler).ifPresent(model -> model.doChat(ChatRequest.builder().messages(chatRequest.messages())
                .parameters(model.defaultRequestParameters().overrideWith(chatRequest.parameters())).build(), handler));
    }

    /** The model for this call; when there is none the handler hears why, as with any streaming failure. */
    private Optional<StreamingChatModel> modelOrReport(StreamingChatResponseHandler handler) {
        try {
            return Optional.of(live.ready().model());
        } catch (AliasNotConfiguredException | AliasNotReadyException | AliasUnusableException e) {
            handler.onError(e);
            return Optional.empty();
        }
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
}
