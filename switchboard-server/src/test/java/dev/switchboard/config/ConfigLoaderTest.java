package dev.switchboard.config;

import dev.switchboard.metadata.MetadataPrecedence;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading valid files: every key is read, and what a file leaves out keeps its default. */
class ConfigLoaderTest extends TomlFileTestSupport {

    private static final String FULL = """
            [server]
            host = "0.0.0.0"
            port = 9090
            max_body_size = "2MB"
            allowed_origins = ["http://localhost:3000", "HTTPS://Console.Example.com:443/"]
            allowed_hosts = ["switchboard.local", "::1"]

            [store]
            url = "jdbc:postgresql://db:5432/switchboard"
            user = "switchboard"
            password = "${env:DB_PASSWORD}"
            pool_size = 20
            master_key_file = "/etc/switchboard/master.key"
            write_timeout = "2s500ms"

            [model_catalog]
            refresh_interval = "1h30m"
            refresh_on_start = false
            jitter = 0.25
            fetch_timeout = "5s"
            refresh_deadline = "2m"
            max_response_bytes = "4MB"
            max_models = 1000
            concurrency = 16
            shrink_guard = 0.3
            max_backoff = "30m"
            leader_lease = "5s"
            metadata_precedence = ["upstream", "config", "catalog"]

            [events]
            retention = "3d"
            min_events = 500

            [auth]
            mode = "token"
            admin_key = "${env:SWITCHBOARD_ADMIN_KEY}"
            access_token_ttl = "5m"
            refresh_token_ttl = "12h"
            write_rate_per_minute = 30
            allowed_provider_hosts = ["metadata.internal.example"]

            [[providers]]
            id = "openai"
            kind = "openai"
            base_url = "https://api.openai.com/v1"
            api_key = "${env:OPENAI_API_KEY}"
            allowed_models = ["gpt-*", "o*"]
            denied_models = ["*-realtime-*"]
            headers = { "OpenAI-Organization" = "org-123" }

            [[providers]]
            id = "local"
            kind = "static"
            models = ["llama-3.1-8b-instruct", "qwen2.5-coder-7b"]
            """;

    private static final Map<String, String> FULL_ENV = Map.of("DB_PASSWORD", "db-secret", "OPENAI_API_KEY", "sk-test",
            "SWITCHBOARD_ADMIN_KEY", "admin-key-0123456789abcdef");

    @Test
    void aFullFileSetsEveryKeyOfTheServerSection() {
        assertThat(load(FULL, FULL_ENV).server()).isEqualTo(new ServerConfig("0.0.0.0", 9090, 2L * 1024 * 1024,
                List.of("http://localhost:3000", "https://console.example.com"), List.of("switchboard.local", "[::1]")));
    }

    @Test
    void anAllowedOriginWithAPathIsRefusedWithTheLineAndAnExample() {
        assertThat(loadError("[server]\nallowed_origins = [\"http://localhost:3000/app\"]\n"))
                .isEqualTo(at(2) + "[server] allowed_origins must list origins such as \"http://localhost:3000\""
                        + " (scheme, host and port; no path), got \"http://localhost:3000/app\"");
    }

    @Test
    void anAllowedOriginWithoutASchemeOrWithAWildcardIsRefused() {
        assertThat(loadError("[server]\nallowed_origins = [\"localhost:3000\"]\n"))
                .contains("allowed_origins must list origins such as").endsWith("got \"localhost:3000\"");
        assertThat(loadError("[server]\nallowed_origins = [\"*\"]\n"))
                .contains("allowed_origins must list origins such as").endsWith("got \"*\"");
    }

    @Test
    void anAllowedHostWithASchemeOrAPortIsRefused() {
        assertThat(loadError("[server]\nallowed_hosts = [\"switchboard.local:8080\"]\n"))
                .isEqualTo(at(2) + "[server] allowed_hosts must list host names such as \"switchboard.local\""
                        + " (no scheme or port), got \"switchboard.local:8080\"");
        assertThat(loadError("[server]\nallowed_hosts = [\"http://switchboard.local\"]\n"))
                .endsWith("got \"http://switchboard.local\"");
    }

    @Test
    void noOriginIsAllowedAndNoExtraHostNamedByDefault() {
        ServerConfig server = load("").server();

        assertThat(server.allowedOrigins()).isEmpty();
        assertThat(server.allowedHosts()).isEmpty();
        assertThat(server.loopback()).isTrue();
        assertThat(load("[server]\nhost = \"0.0.0.0\"\n").server().loopback()).isFalse();
    }

    @Test
    void aFullFileSetsEveryKeyOfTheStoreSection() {
        assertThat(load(FULL, FULL_ENV).store()).isEqualTo(new StoreConfig("jdbc:postgresql://db:5432/switchboard",
                "switchboard", new Secret("db-secret", "${env:DB_PASSWORD}"), 20, Optional.of(Path.of("/etc/switchboard/master.key")),
                Duration.ofMillis(2_500)));
    }

    @Test
    void aFullFileSetsEveryKeyOfTheModelCatalogSection() {
        assertThat(load(FULL, FULL_ENV).catalog()).isEqualTo(new CatalogConfig(Duration.ofMinutes(90), false, 0.25,
                Duration.ofSeconds(5), Duration.ofMinutes(2), 4L * 1024 * 1024, 1000, 16, 0.3, Duration.ofMinutes(30),
                Duration.ofSeconds(5), MetadataPrecedence.parse(List.of("upstream", "config", "catalog"))));
    }

    @Test
    void aFullFileSetsEveryKeyOfTheEventsSection() {
        assertThat(load(FULL, FULL_ENV).events()).isEqualTo(new EventsConfig(Duration.ofDays(3), 500));
    }

    @Test
    void aFullFileSetsEveryKeyOfTheAuthSection() {
        assertThat(load(FULL, FULL_ENV).auth()).isEqualTo(new AuthConfig(AuthConfig.Mode.TOKEN,
                new Secret("admin-key-0123456789abcdef", "${env:SWITCHBOARD_ADMIN_KEY}"), Duration.ofMinutes(5),
                Duration.ofHours(12), 30, List.of("metadata.internal.example")));
    }

    @Test
    void authIsOffByDefaultAndAShortAdminKeyIsRefused() {
        assertThat(load("").auth()).isEqualTo(AuthConfig.defaults());
        assertThatThrownBy(() -> load("[auth]\nmode = \"token\"\nadmin_key = \"short\"\n"))
                .hasMessageContaining("switchboard.toml:3").hasMessageContaining("admin_key must be at least 16 characters");
        assertThatThrownBy(() -> load("[auth]\nmode = \"tokens\"\n"))
                .hasMessageContaining("switchboard.toml:2").hasMessageContaining("must be \"none\" or \"token\"");
    }

    @Test
    void withoutAuthOnlyALoopbackBindIsAllowed() {
        assertThat(AuthConfig.defaults().bindRefusal("127.0.0.1")).isNull();
        assertThat(AuthConfig.defaults().bindRefusal("localhost")).isNull();
        assertThat(AuthConfig.defaults().bindRefusal("0.0.0.0")).contains("not a loopback address").contains("mode = \"token\"");
        assertThat(AuthConfig.token(Secret.literal("k".repeat(20))).bindRefusal("0.0.0.0")).isNull();
    }

    @Test
    void aRetentionOfZeroKeepsEventsByCountAlone() {
        assertThat(load("[events]\nretention = 0\n").events()).isEqualTo(new EventsConfig(Duration.ZERO, 10_000));
    }

    @Test
    void aFullFileSetsEveryKeyOfEachProviderInFileOrder() {
        List<ProviderConfig> providers = load(FULL, FULL_ENV).providers();

        assertThat(providers).containsExactly(
                new ProviderConfig("openai", ProviderKind.OPENAI, URI.create("https://api.openai.com/v1"),
                        new Secret("sk-test", "${env:OPENAI_API_KEY}"), List.of("gpt-*", "o*"), List.of("*-realtime-*"),
                        List.of(), Map.of("OpenAI-Organization", "org-123"), ProviderConfig.Source.CONFIG),
                new ProviderConfig("local", ProviderKind.STATIC, null, Secret.NONE, List.of(), List.of(),
                        List.of("llama-3.1-8b-instruct", "qwen2.5-coder-7b"), Map.of(), ProviderConfig.Source.CONFIG));
    }

    @Test
    void theConfigurationRemembersTheFileItCameFrom() {
        assertThat(load(FULL, FULL_ENV).source()).contains(file());
    }

    @Test
    void anEmptyFileGivesEveryDefault() {
        SwitchboardConfig config = load("");

        assertThat(config.server()).isEqualTo(ServerConfig.defaults());
        assertThat(config.store()).isEqualTo(StoreConfig.defaults());
        assertThat(config.catalog()).isEqualTo(CatalogConfig.defaults());
        assertThat(config.events()).isEqualTo(new EventsConfig(Duration.ofDays(7), 10_000));
        assertThat(config.providers()).isEmpty();
    }

    @Test
    void aMinimalFileKeepsTheDefaultsOfEveryKeyItLeavesOut() {
        SwitchboardConfig config = load("""
                [server]
                port = 9000

                [model_catalog]
                fetch_timeout = "3s"
                """);

        assertThat(config.server()).isEqualTo(ServerConfig.defaults().withPort(9000));
        assertThat(config.catalog()).isEqualTo(CatalogConfig.defaults().withFetchTimeout(Duration.ofSeconds(3)));
        assertThat(config.store()).isEqualTo(StoreConfig.defaults());
    }

    @Test
    void withoutAFileEveryDefaultApplies() {
        SwitchboardConfig config = loader().defaults(Map.of());

        assertThat(config).isEqualTo(new SwitchboardConfig(ServerConfig.defaults(), StoreConfig.defaults(),
                CatalogConfig.defaults(), EventsConfig.defaults(), AuthConfig.defaults(), List.of(), List.of(), Optional.empty()));
    }

    @Test
    void aRefreshIntervalOfZeroDisablesTheScheduleWrittenAsIntegerOrString() {
        assertThat(load("[model_catalog]\nrefresh_interval = 0\n").catalog().scheduled()).isFalse();
        assertThat(load("[model_catalog]\nrefresh_interval = \"0\"\n").catalog().scheduled()).isFalse();
    }

    @Test
    void aSizeWrittenAsAnIntegerIsANumberOfBytes() {
        assertThat(load("[server]\nmax_body_size = 65536\n").server().maxBodyBytes()).isEqualTo(65_536);
    }

    @Test
    void aNumberOrBooleanWrittenAsAStringIsAccepted() {
        SwitchboardConfig config = load("""
                [server]
                port = "9000"
                [model_catalog]
                refresh_on_start = "false"
                jitter = "0.2"
                """);

        assertThat(config.server().port()).isEqualTo(9000);
        assertThat(config.catalog().refreshOnStart()).isFalse();
        assertThat(config.catalog().jitter()).isEqualTo(0.2);
    }

    @Test
    void dottedKeysAtTheTopLevelAreTheSameAsASection() {
        assertThat(load("server.port = 9001\n").server().port()).isEqualTo(9001);
    }
}
