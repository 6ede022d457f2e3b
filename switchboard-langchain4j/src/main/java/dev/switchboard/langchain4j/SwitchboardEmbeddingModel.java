package dev.switchboard.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.request.EmbeddingParameter;
import dev.langchain4j.model.embedding.request.EmbeddingRequest;
import dev.langchain4j.model.embedding.request.EmbeddingRequestParameters;
import dev.langchain4j.model.embedding.response.EmbeddingResponse;

import java.util.Set;

/**
 * A LangChain4j {@link EmbeddingModel} that follows a Switchboard alias: each call goes to the model the alias's
 * current configuration names; a change applies from the next call on, while calls in flight finish where they
 * started. Made by {@link SwitchboardModels#embeddingModel(String)}. Thread-safe.
 *
 * <p>Mind that a change of model usually changes the embedding space (and {@link #dimension()}): vectors stored
 * from the old model do not compare with the new one's.
 *
 * <p>A call fails with {@link AliasNotConfiguredException} while the alias does not exist (never created, or
 * deleted), {@link AliasNotReadyException} when it could not be read from Switchboard even once, and
 * {@link AliasUnusableException} when its current version cannot be called.
 */
public final class SwitchboardEmbeddingModel extends FollowingModel<EmbeddingModel> implements EmbeddingModel {
    SwitchboardEmbeddingModel(LiveDelegate<EmbeddingModel> live) {
        super(live);
    }

    @Override
    public EmbeddingResponse embed(EmbeddingRequest request) {
        return live.ready().model().embed(request);
    }

    @Override
    public EmbeddingResponse doEmbed(EmbeddingRequest request) {
        return live.ready().model().doEmbed(request);
    }

    /** The current model's dimension, asked of the model (one call) when it does not know it from its name. */
    @Override
    public int dimension() {
        return live.ready().model().dimension();
    }

    /** The current model's name: the alias through the gateway, the provider's model id when called directly. */
    @Override
    public String modelName() {
        return live.ready().model().modelName();
    }

    /** The current model's defaults; empty while there is no model. */
    @Override
    public EmbeddingRequestParameters defaultRequestParameters() {
        return live.peek().map(EmbeddingModel::defaultRequestParameters).orElse(EmbeddingRequestParameters.EMPTY);
    }

    @Override
    public Set<EmbeddingParameter<?>> supportedParameters() {
        return live.peek().map(EmbeddingModel::supportedParameters).orElse(Set.of());
    }

    @Override
    public ModelProvider provider() {
        return live.peek().map(EmbeddingModel::provider).orElse(ModelProvider.OTHER);
    }
}
