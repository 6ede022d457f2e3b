package dev.switchboard.langchain4j;

import dev.switchboard.client.Switchboard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One test per rule of the builder: nulls refused, each option set once, the route checked in build(). */
class SwitchboardModelsBuilderTest {
    private final Switchboard sb = Switchboard.connect(URI.create("http://127.0.0.1:1"), null); // never contacted

    @AfterEach
    void close() {
        sb.close();
    }

    private SwitchboardModels.Builder builder() {
        return SwitchboardModels.builder(sb);
    }

    @Test
    void switchboard_null() {
        assertThatNullPointerException().isThrownBy(() -> SwitchboardModels.builder(null)).withMessage("switchboard");
    }

    @Test
    void options_null() {
        assertThatNullPointerException().isThrownBy(() -> builder().gateway(null, "k")).withMessage("switchboardUrl");
        assertThatNullPointerException().isThrownBy(() -> builder().directly(null)).withMessage("endpoints");
        assertThatNullPointerException().isThrownBy(() -> builder().readyTimeout(null)).withMessage("timeout");
        assertThatNullPointerException().isThrownBy(() -> builder().chatModelSettings(null)).withMessage("settings");
        assertThatNullPointerException().isThrownBy(() -> builder().streamingChatModelSettings(null)).withMessage("settings");
        assertThatNullPointerException().isThrownBy(() -> builder().embeddingModelSettings(null)).withMessage("settings");
    }

    @Test
    void gateway_twice() {
        assertThatThrownBy(() -> builder().gateway(URI.create("http://a:8080"), null).gateway(URI.create("http://b:8080"), null))
                .isInstanceOf(IllegalStateException.class).hasMessage("gateway was already set to http://a:8080/v1");
    }

    @Test
    void gateway_notAnHttpUrl() {
        assertThatThrownBy(() -> builder().gateway(URI.create("ftp://a/"), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("switchboardUrl must be an http(s) URL with a host and at most a path, such as "
                        + "http://localhost:8080, got ftp://a/");
        assertThatThrownBy(() -> builder().gateway(URI.create("http://a/?x=1"), null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void directly_twice() {
        assertThatThrownBy(() -> builder().directly(p -> null).directly(p -> null))
                .isInstanceOf(IllegalStateException.class).hasMessage("directly was already set");
    }

    @Test
    void readyTimeout_twice() {
        assertThatThrownBy(() -> builder().readyTimeout(Duration.ofSeconds(1)).readyTimeout(Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class).hasMessage("readyTimeout was already set to PT1S");
    }

    @Test
    void readyTimeout_negative() {
        assertThatThrownBy(() -> builder().readyTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("readyTimeout must not be negative, got PT-1S");
    }

    @Test
    void settings_twice() {
        assertThatThrownBy(() -> builder().chatModelSettings(b -> { }).chatModelSettings(b -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessage("chatModelSettings was already set");
        assertThatThrownBy(() -> builder().streamingChatModelSettings(b -> { }).streamingChatModelSettings(b -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessage("streamingChatModelSettings was already set");
        assertThatThrownBy(() -> builder().embeddingModelSettings(b -> { }).embeddingModelSettings(b -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessage("embeddingModelSettings was already set");
    }

    @Test
    void build_withoutARoute() {
        assertThatThrownBy(() -> builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessage("where calls go is not set: call gateway(switchboardUrl, apiKey) to call through Switchboard's "
                        + "gateway, or directly(providerId -> endpoint) to call providers with the application's credentials");
    }

    @Test
    void build_withBothRoutes() {
        assertThatThrownBy(() -> builder().gateway(URI.create("http://a:8080"), null).directly(p -> null).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("gateway(…) and directly(…) were both set; calls go one way: through the gateway, or "
                        + "directly to the providers");
    }

    @Test
    void models_nullOrBlankAlias() {
        SwitchboardModels models = builder().directly(p -> null).build();
        assertThatNullPointerException().isThrownBy(() -> models.chatModel((String) null)).withMessage("alias");
        assertThatThrownBy(() -> models.embeddingModel(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alias must not be blank");
        assertThatNullPointerException().isThrownBy(() -> models.streamingChatModel((dev.switchboard.client.LiveModel) null))
                .withMessage("live");
    }

    @Test
    void providerEndpoint_checksItsUrlAndHidesItsKey() {
        assertThatNullPointerException().isThrownBy(() -> ProviderEndpoint.of(null, "k")).withMessage("baseUrl");
        assertThatThrownBy(() -> ProviderEndpoint.of("api.openai.com/v1", "k")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseUrl must be an http(s) URL with a host, such as https://api.openai.com/v1, got "
                        + "\"api.openai.com/v1\"");
        assertThat(ProviderEndpoint.of("https://api.openai.com/v1", "sk-secret"))
                .hasToString("ProviderEndpoint[baseUrl=https://api.openai.com/v1, apiKey=***]");
    }
}
