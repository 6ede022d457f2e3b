package dev.switchboard.langchain4j;

import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration's params as LangChain4j's OpenAI settings. The params LangChain4j knows by name become its typed
 * settings (so its own logic sees them: {@code max_tokens} counts as the output limit …); every other param is sent
 * as it is, at the top level of the body, as Switchboard's gateway does.
 */
final class OpenAiParams {
    private OpenAiParams() {
    }

    /** The chat params as default request parameters; a param of the wrong type is refused with its name. */
    static OpenAiChatRequestParameters chat(Map<String, Object> params) {
        OpenAiChatRequestParameters.Builder builder = OpenAiChatRequestParameters.builder();
        Map<String, Object> custom = new LinkedHashMap<>();
        params.forEach((name, value) -> {
            switch (name) {
                case "temperature" -> builder.temperature(decimal(name, value));
                case "top_p" -> builder.topP(decimal(name, value));
                case "presence_penalty" -> builder.presencePenalty(decimal(name, value));
                case "frequency_penalty" -> builder.frequencyPenalty(decimal(name, value));
                case "max_tokens" -> builder.maxOutputTokens(integer(name, value));
                case "max_completion_tokens" -> builder.maxCompletionTokens(integer(name, value));
                case "seed" -> builder.seed(integer(name, value));
                case "top_logprobs" -> builder.topLogprobs(integer(name, value));
                case "stop" -> builder.stopSequences(value instanceof String one ? List.of(one) : strings(name, value));
                case "user" -> builder.user(text(name, value));
                case "service_tier" -> builder.serviceTier(text(name, value));
                case "reasoning_effort" -> builder.reasoningEffort(text(name, value));
                case "parallel_tool_calls" -> builder.parallelToolCalls(bool(name, value));
                case "store" -> builder.store(bool(name, value));
                case "logprobs" -> builder.logprobs(bool(name, value));
                case "logit_bias" -> builder.logitBias(integers(name, value));
                case "metadata" -> builder.metadata(texts(name, value));
                default -> custom.put(name, value);
            }
        });
        if (!custom.isEmpty()) builder.customParameters(custom);
        return builder.build();
    }

    /** Applies the embedding params to {@code builder}. */
    static void embedding(Map<String, Object> params, OpenAiEmbeddingModel.OpenAiEmbeddingModelBuilder builder) {
        Map<String, Object> custom = new LinkedHashMap<>();
        params.forEach((name, value) -> {
            switch (name) {
                case "dimensions" -> builder.dimensions(integer(name, value));
                case "user" -> builder.user(text(name, value));
                case "encoding_format" -> builder.encodingFormat(text(name, value));
                default -> custom.put(name, value);
            }
        });
        if (!custom.isEmpty()) builder.customParameters(custom);
    }

    private static Double decimal(String name, Object value) {
        if (value instanceof Number number) return number.doubleValue();
        throw wrongType(name, "a number", value);
    }

    private static Integer integer(String name, Object value) {
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
                && Math.abs(number.doubleValue()) <= Integer.MAX_VALUE) {
            return number.intValue();
        }
        throw wrongType(name, "a whole number", value);
    }

    private static String text(String name, Object value) {
        if (value instanceof String string) return string;
        throw wrongType(name, "a string", value);
    }

    private static Boolean bool(String name, Object value) {
        if (value instanceof Boolean bool) return bool;
        throw wrongType(name, "true or false", value);
    }

    private static List<String> strings(String name, Object value) {
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw wrongType(name, "a string or a list of strings", value);
    }

    private static Map<String, Integer> integers(String name, Object value) {
        if (!(value instanceof Map<?, ?> map)) throw wrongType(name, "an object of whole numbers", value);
        Map<String, Integer> result = new LinkedHashMap<>();
        map.forEach((key, entry) -> result.put(String.valueOf(key), integer(name + "." + key, entry)));
        return result;
    }

    private static Map<String, String> texts(String name, Object value) {
        if (!(value instanceof Map<?, ?> map)) throw wrongType(name, "an object of strings", value);
        Map<String, String> result = new LinkedHashMap<>();
        map.forEach((key, entry) -> result.put(String.valueOf(key), text(name + "." + key, entry)));
        return result;
    }

    private static IllegalArgumentException wrongType(String name, String expected, Object value) {
        String shown = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
        return new IllegalArgumentException("param \"" + name + "\" must be " + expected + ", got " + shown);
    }
}
