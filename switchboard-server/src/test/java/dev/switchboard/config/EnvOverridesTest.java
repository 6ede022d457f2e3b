package dev.switchboard.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SWITCHBOARD_&lt;SECTION&gt;_&lt;KEY&gt; variables override the file, and a mistyped one is an error. */
class EnvOverridesTest extends TomlFileTestSupport {

    @Test
    void aServerVariableOverridesTheFile() {
        SwitchboardConfig config = load("[server]\nport = 8080\nhost = \"0.0.0.0\"\n",
                Map.of("SWITCHBOARD_SERVER_PORT", "9000", "SWITCHBOARD_SERVER_MAX_BODY_SIZE", "64KB"));

        assertThat(config.server()).isEqualTo(new ServerConfig("0.0.0.0", 9000, 64 * 1024));
    }

    @Test
    void listKeysTakeCommaSeparatedValuesFromTheEnvironment() {
        SwitchboardConfig config = load("[server]\nallowed_origins = [\"http://localhost:3000\"]\n", Map.of(
                "SWITCHBOARD_SERVER_ALLOWED_ORIGINS", "http://localhost:5173, https://console.example.com",
                "SWITCHBOARD_SERVER_ALLOWED_HOSTS", "switchboard.local,sb.internal",
                "SWITCHBOARD_AUTH_ALLOWED_PROVIDER_HOSTS", "metadata.internal.example"));

        assertThat(config.server().allowedOrigins()).containsExactly("http://localhost:5173", "https://console.example.com");
        assertThat(config.server().allowedHosts()).containsExactly("switchboard.local", "sb.internal");
        assertThat(config.auth().allowedProviderHosts()).containsExactly("metadata.internal.example");
    }

    @Test
    void anEmptyListVariableClearsTheFilesList() {
        SwitchboardConfig config = load("[server]\nallowed_origins = [\"http://localhost:3000\"]\n",
                Map.of("SWITCHBOARD_SERVER_ALLOWED_ORIGINS", ""));

        assertThat(config.server().allowedOrigins()).isEmpty();
    }

    @Test
    void aBadOriginFromTheEnvironmentNamesTheVariable() {
        assertThat(loadError("", Map.of("SWITCHBOARD_SERVER_ALLOWED_ORIGINS", "http://localhost:3000,evil")))
                .isEqualTo("environment variable SWITCHBOARD_SERVER_ALLOWED_ORIGINS: allowed_origins must list origins"
                        + " such as \"http://localhost:3000\" (scheme, host and port; no path), got \"evil\"");
    }

    @Test
    void storeVariablesOverrideTheFileAndThePasswordStaysSecret() {
        SwitchboardConfig config = load("[store]\nurl = \"jdbc:h2:mem:test\"\n", Map.of(
                "SWITCHBOARD_STORE_URL", "jdbc:postgresql://db:5432/sb",
                "SWITCHBOARD_STORE_USER", "sb",
                "SWITCHBOARD_STORE_PASSWORD", "hunter2",
                "SWITCHBOARD_STORE_POOL_SIZE", "4",
                "SWITCHBOARD_STORE_MASTER_KEY_FILE", "/run/secrets/master.key",
                "SWITCHBOARD_STORE_WRITE_TIMEOUT", "3s"));

        assertThat(config.store()).isEqualTo(new StoreConfig("jdbc:postgresql://db:5432/sb", "sb",
                new Secret("hunter2", "${env:SWITCHBOARD_STORE_PASSWORD}"), 4, java.util.Optional.of(java.nio.file.Path.of("/run/secrets/master.key")),
                java.time.Duration.ofSeconds(3)));
        assertThat(config.store().password().toString()).doesNotContain("hunter2");
    }

    @Test
    void modelCatalogVariablesOverrideTheFile() {
        SwitchboardConfig config = load("""
                [model_catalog]
                refresh_interval = "6h"
                refresh_on_start = true
                """, Map.of(
                "SWITCHBOARD_MODEL_CATALOG_REFRESH_INTERVAL", "30m",
                "SWITCHBOARD_MODEL_CATALOG_REFRESH_ON_START", "false",
                "SWITCHBOARD_MODEL_CATALOG_JITTER", "0.2",
                "SWITCHBOARD_MODEL_CATALOG_MAX_RESPONSE_BYTES", "1MB",
                "SWITCHBOARD_MODEL_CATALOG_CONCURRENCY", "2"));

        CatalogConfig catalog = config.catalog();
        assertThat(catalog.refreshInterval()).isEqualTo(Duration.ofMinutes(30));
        assertThat(catalog.refreshOnStart()).isFalse();
        assertThat(catalog.jitter()).isEqualTo(0.2);
        assertThat(catalog.maxResponseBytes()).isEqualTo(1024 * 1024);
        assertThat(catalog.concurrency()).isEqualTo(2);
    }

    @Test
    void eventsVariablesOverrideTheFile() {
        SwitchboardConfig config = load("[events]\nretention = \"7d\"\nmin_events = 10\n", Map.of(
                "SWITCHBOARD_EVENTS_RETENTION", "12h",
                "SWITCHBOARD_EVENTS_MIN_EVENTS", "2500"));

        assertThat(config.events()).isEqualTo(new EventsConfig(Duration.ofHours(12), 2500));
    }

    @Test
    void variablesApplyWithoutAFile() {
        SwitchboardConfig config = loader().defaults(Map.of("SWITCHBOARD_SERVER_PORT", "0",
                "SWITCHBOARD_MODEL_CATALOG_REFRESH_INTERVAL", "0"));

        assertThat(config.server().port()).isZero();
        assertThat(config.catalog().scheduled()).isFalse();
    }

    @Test
    void aBadValueNamesTheVariable() {
        assertThat(loadError("", Map.of("SWITCHBOARD_SERVER_PORT", "80a")))
                .isEqualTo("environment variable SWITCHBOARD_SERVER_PORT: port must be an integer from 0 to 65535,"
                        + " got \"80a\"");
    }

    @Test
    void aBadValueWithoutAFileNamesTheVariable() {
        assertThatThrownBy(() -> loader().defaults(Map.of("SWITCHBOARD_MODEL_CATALOG_FETCH_TIMEOUT", "ten")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("environment variable SWITCHBOARD_MODEL_CATALOG_FETCH_TIMEOUT: fetch_timeout must be "
                        + Durations.EXPECTED + ", got \"ten\"");
    }

    @Test
    void anUnknownKeyOfAKnownSectionIsAnErrorListingTheKnownKeys() {
        assertThat(loadError("", Map.of("SWITCHBOARD_MODEL_CATALOG_REFRESH_INTERVALL", "30m")))
                .isEqualTo("environment variable SWITCHBOARD_MODEL_CATALOG_REFRESH_INTERVALL: unknown key"
                        + " \"refresh_intervall\" in [model_catalog]; known keys: refresh_interval, refresh_on_start,"
                        + " jitter, fetch_timeout, refresh_deadline, max_response_bytes, max_models, concurrency,"
                        + " shrink_guard, max_backoff, leader_lease, metadata_precedence");
    }

    @Test
    void variablesWithoutASectionPrefixAreLeftToOthers() {
        SwitchboardConfig config = load("", Map.of("SWITCHBOARD_CONFIG", "/etc/switchboard.toml",
                "SWITCHBOARD_ADMIN_KEY", "k", "SWITCHBOARD_MODEL", "x", "PATH", "/usr/bin"));

        assertThat(config.server()).isEqualTo(ServerConfig.defaults());
    }

    @Test
    void providerVariablesAreAnErrorPointingToReferences() {
        assertThat(loadError("", Map.of("SWITCHBOARD_PROVIDERS_OPENAI_API_KEY", "sk-1")))
                .isEqualTo("environment variable SWITCHBOARD_PROVIDERS_OPENAI_API_KEY: provider settings cannot be"
                        + " set from the environment; reference a variable in the file instead,"
                        + " e.g. api_key = \"${env:OPENAI_API_KEY}\"");
    }

    @Test
    void anOverriddenValueIsCheckedAcrossKeysLikeAFileValue() {
        assertThat(loadError("[model_catalog]\nrefresh_deadline = \"20s\"\n",
                Map.of("SWITCHBOARD_MODEL_CATALOG_FETCH_TIMEOUT", "30s")))
                .isEqualTo(at(2) + "[model_catalog] refresh_deadline must be at least fetch_timeout (20s < 30s)");
    }
}
