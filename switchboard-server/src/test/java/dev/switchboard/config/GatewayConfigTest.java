package dev.switchboard.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 11: the {@code [gateway]} section, {@code api_base_url} on providers and {@code fixed_params} on seeds. */
class GatewayConfigTest extends TomlFileTestSupport {

    @Test
    void withoutAGatewaySectionEveryDefaultApplies() {
        assertThat(load("").gateway()).isEqualTo(GatewayConfig.defaults());
    }

    @Test
    void theGatewaySectionIsRead() {
        SwitchboardConfig config = load("""
                [gateway]
                connect_timeout = "2s"
                first_byte_timeout = "30s"
                idle_timeout = "45s"
                max_request_bytes = "2MB"
                """);

        assertThat(config.gateway()).isEqualTo(new GatewayConfig(Duration.ofSeconds(2), Duration.ofSeconds(30),
                Duration.ofSeconds(45), 2L * 1024 * 1024));
    }

    @Test
    void gatewayVariablesOverrideTheFile() {
        SwitchboardConfig config = load("[gateway]\nfirst_byte_timeout = \"30s\"\n", Map.of(
                "SWITCHBOARD_GATEWAY_FIRST_BYTE_TIMEOUT", "5s",
                "SWITCHBOARD_GATEWAY_CONNECT_TIMEOUT", "250ms",
                "SWITCHBOARD_GATEWAY_IDLE_TIMEOUT", "1m",
                "SWITCHBOARD_GATEWAY_MAX_REQUEST_BYTES", "64KB"));

        assertThat(config.gateway()).isEqualTo(new GatewayConfig(Duration.ofMillis(250), Duration.ofSeconds(5),
                Duration.ofMinutes(1), 64 * 1024));
    }

    @Test
    void anUnknownGatewayKeyIsAnErrorListingTheKnownKeys() {
        assertThat(loadError("[gateway]\nfirst_byte_timeot = \"5s\"\n"))
                .isEqualTo(at(2) + "unknown key \"first_byte_timeot\" in [gateway]; known keys: connect_timeout,"
                        + " first_byte_timeout, idle_timeout, max_request_bytes");
    }

    @Test
    void aZeroTimeoutIsRefusedNamingTheKey() {
        assertThat(loadError("[gateway]\nconnect_timeout = 0\n")).startsWith(at(2) + "[gateway] connect_timeout must be");
    }

    @Test
    void aStaticProviderMayNameItsInferenceEndpoint() {
        SwitchboardConfig config = load("""
                [[providers]]
                id = "local"
                kind = "static"
                models = ["llama"]
                api_base_url = "http://127.0.0.1:8000/v1"
                """);

        assertThat(config.provider("local").orElseThrow().apiBaseUrl()).isEqualTo(URI.create("http://127.0.0.1:8000/v1"));
    }

    @Test
    void anApiBaseUrlMustBeAWebUrl() {
        assertThat(loadError("""
                [[providers]]
                id = "local"
                kind = "static"
                models = ["llama"]
                api_base_url = "file:models.json"
                """)).isEqualTo(at(5) + "[[providers]] api_base_url must use http or https, got \"file:models.json\"");
    }

    @Test
    void aProviderWithoutApiBaseUrlHasNone() {
        SwitchboardConfig config = load("""
                [[providers]]
                id = "openai"
                kind = "openai"
                base_url = "https://api.openai.com/v1"
                """);

        assertThat(config.provider("openai").orElseThrow().apiBaseUrl()).isNull();
    }

    @Test
    void aSeededConfigurationMayFixSomeOfItsParams() {
        SwitchboardConfig config = load("""
                [[providers]]
                id = "local"
                kind = "static"
                models = ["llama"]

                [[model_configs]]
                alias = "coder"
                provider = "local"
                model = "llama"
                params = { temperature = 0.2, max_tokens = 512 }
                fixed_params = ["max_tokens"]
                """);

        assertThat(config.modelConfigs().getFirst().fixedParams()).isEqualTo(List.of("max_tokens"));
    }

    @Test
    void theEffectiveConfigurationShowsTheGatewayAndApiBaseUrls() {
        String summary = ConfigSummary.render(load("""
                [gateway]
                first_byte_timeout = "30s"

                [[providers]]
                id = "local"
                kind = "static"
                models = ["llama"]
                api_base_url = "http://127.0.0.1:8000/v1"
                """));

        assertThat(summary).contains("[gateway]\nconnect_timeout = \"10s\"\nfirst_byte_timeout = \"30s\"\nidle_timeout = \"5m\"\n"
                + "max_request_bytes = \"16MB\"\n").contains("api_base_url = \"http://127.0.0.1:8000/v1\"");
    }
}
