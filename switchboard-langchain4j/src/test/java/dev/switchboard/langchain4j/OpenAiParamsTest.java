package dev.switchboard.langchain4j;

import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A configuration's params as LangChain4j's OpenAI chat parameters. */
class OpenAiParamsTest {
    @Test
    void theParamsLangChain4jNamesBecomeItsSettings() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("temperature", 1); // a whole number is a number too
        params.put("top_p", 0.9);
        params.put("presence_penalty", 0.1);
        params.put("frequency_penalty", 0.2);
        params.put("max_tokens", 100);
        params.put("max_completion_tokens", 200);
        params.put("seed", 42);
        params.put("stop", List.of("a", "b"));
        params.put("user", "u");
        params.put("reasoning_effort", "low");
        params.put("service_tier", "flex");
        params.put("parallel_tool_calls", false);
        params.put("store", true);
        params.put("logprobs", true);
        params.put("top_logprobs", 3);
        params.put("logit_bias", Map.of("50256", -100));
        params.put("metadata", Map.of("team", "a"));

        OpenAiChatRequestParameters mapped = OpenAiParams.chat(params);

        assertThat(mapped.temperature()).isEqualTo(1.0);
        assertThat(mapped.topP()).isEqualTo(0.9);
        assertThat(mapped.presencePenalty()).isEqualTo(0.1);
        assertThat(mapped.frequencyPenalty()).isEqualTo(0.2);
        assertThat(mapped.maxOutputTokens()).isEqualTo(100);
        assertThat(mapped.maxCompletionTokens()).isEqualTo(200);
        assertThat(mapped.seed()).isEqualTo(42);
        assertThat(mapped.stopSequences()).containsExactly("a", "b");
        assertThat(mapped.user()).isEqualTo("u");
        assertThat(mapped.reasoningEffort()).isEqualTo("low");
        assertThat(mapped.serviceTier()).isEqualTo("flex");
        assertThat(mapped.parallelToolCalls()).isFalse();
        assertThat(mapped.store()).isTrue();
        assertThat(mapped.logprobs()).isTrue();
        assertThat(mapped.topLogprobs()).isEqualTo(3);
        assertThat(mapped.logitBias()).containsEntry("50256", -100);
        assertThat(mapped.metadata()).containsEntry("team", "a");
        assertThat(mapped.customParameters()).isNullOrEmpty();
    }

    @Test
    void anyOtherParamIsSentAsItIs() {
        OpenAiChatRequestParameters mapped = OpenAiParams.chat(Map.of("top_k", 40,
                "response_format", Map.of("type", "json_object")));
        assertThat(mapped.customParameters()).containsEntry("top_k", 40)
                .containsEntry("response_format", Map.of("type", "json_object"));
    }

    @Test
    void aParamOfTheWrongTypeIsRefusedWithItsName() {
        assertThatThrownBy(() -> OpenAiParams.chat(Map.of("max_tokens", 10.5))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("param \"max_tokens\" must be a whole number, got 10.5");
        assertThatThrownBy(() -> OpenAiParams.chat(Map.of("stop", List.of("a", 1)))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("param \"stop\" must be a string or a list of strings, got [a, 1]");
        assertThatThrownBy(() -> OpenAiParams.chat(Map.of("store", "yes"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("param \"store\" must be true or false, got \"yes\"");
        assertThatThrownBy(() -> OpenAiParams.chat(Map.of("logit_bias", Map.of("1", "x")))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("param \"logit_bias.1\" must be a whole number, got \"x\"");
    }
}
