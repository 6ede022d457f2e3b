package dev.switchboard.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.ChatRequestOptions;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;

import java.util.Set;

/**
 * A LangChain4j {@link ChatModel} that follows a Switchboard alias: each call goes to the model the alias's current
 * configuration names, with its params; a change applies from the next call on, while calls in flight finish where
 * they started. Made by {@link SwitchboardModels#chatModel(String)}. Thread-safe.
 *
 * <p>A call fails with {@link AliasNotConfiguredException} while the alias does not exist (never created, or
 * deleted), {@link AliasNotReadyException} when it could not be read from Switchboard even once, and
 * {@link AliasUnusableException} when its current version cannot be called (see each). Failures of the call itself
 * are LangChain4j's own.
 */
public final class SwitchboardChatModel extends FollowingModel<ChatModel> implements ChatModel {
    SwitchboardChatModel(LiveDelegate<ChatModel> live) {
        super(live);
    }

    @Override
    public ChatResponse chat(ChatRequest chatRequest, ChatRequestOptions options) {
        return live.ready().model().chat(chatRequest, options);
    }

    @Override
    public ChatResponse doChat(ChatRequest chatRequest) {
        ChatModel model = live.ready().model();
        // doChat expects the parameters chat() would have merged: the model's defaults under the request's own
        return model.doChat(ChatRequest.builder().messages(chatRequest.messages())
                .parameters(model.defaultRequestParameters().overrideWith(chatRequest.parameters())).build());
    }

    /** The current model's defaults (its model name and params); empty while there is no model. */
    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return live.peek().map(ChatModel::defaultRequestParameters).orElse(DefaultChatRequestParameters.EMPTY);
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return live.peek().map(ChatModel::supportedCapabilities).orElse(Set.of());
    }

    @Override
    public ModelProvider provider() {
        return live.peek().map(ChatModel::provider).orElse(ModelProvider.OTHER);
    }
}
