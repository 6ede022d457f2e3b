package dev.switchboard.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A file that is not valid TOML, or holds a section or key Switchboard does not know, never starts. */
class ConfigFileErrorsTest extends TomlFileTestSupport {

    @Test
    void aSyntaxErrorNamesTheFileLineAndColumn() {
        String message = loadError("""
                [server]
                port = 80a
                """);

        assertThat(message).isEqualTo(file() + ":2:10: Unexpected 'a', expected a newline or end-of-input");
    }

    @Test
    void aKeyDefinedTwiceIsASyntaxError() {
        assertThat(loadError("[server]\nport = 1\nport = 2\n")).startsWith(file() + ":3:1: ");
    }

    @Test
    void anUnknownKeyNamesItsLineItsSectionAndTheKnownKeys() {
        String message = loadError("""
                [model_catalog]
                refresh_on_start = true

                refresh_intervl = "30m"
                """);

        assertThat(message).isEqualTo(at(4) + "unknown key \"refresh_intervl\" in [model_catalog]; known keys:"
                + " refresh_interval, refresh_on_start, jitter, fetch_timeout, refresh_deadline, max_response_bytes,"
                + " max_models, concurrency, shrink_guard, max_backoff, leader_lease, metadata_precedence");
    }

    @Test
    void aMisspelledSectionIsAnErrorAndNeverSilentlyIgnored() {
        String message = loadError("""
                [server]
                port = 8080

                [modell_catalog]
                refresh_interval = 0
                """);

        assertThat(message).isEqualTo(at(4) + "unknown section [modell_catalog]; known sections:"
                + " [server], [store], [model_catalog], [events], [auth], [gateway], [nats], [[providers]], [[model_configs]], [[metadata_sources]]");
    }

    @Test
    void anUnknownKeyInsideAProviderNamesItsLineAndTheKnownKeys() {
        String message = loadError("""
                [[providers]]
                id = "openai"
                kind = "openai"
                base_url = "https://api.openai.com/v1"
                api_token = "sk-1"
                """);

        assertThat(message).isEqualTo(at(5) + "unknown key \"api_token\" in [[providers]]; known keys:"
                + " id, kind, base_url, api_key, allowed_models, denied_models, models, headers, api_base_url, metadata_provider");
    }

    @Test
    void aKeyOutsideAnySectionIsAnError() {
        assertThat(loadError("port = 8080\n"))
                .isEqualTo(at(1) + "unknown key \"port\" outside any section; known sections:"
                        + " [server], [store], [model_catalog], [events], [auth], [gateway], [nats], [[providers]], [[model_configs]], [[metadata_sources]]");
    }

    @Test
    void aTableNestedInASectionIsAnUnknownKey() {
        assertThat(loadError("[server]\nport = 1\n\n[server.tls]\ncert = \"x\"\n"))
                .isEqualTo(at(4) + "unknown key \"tls\" in [server]; known keys: host, port, max_body_size,"
                        + " allowed_origins, allowed_hosts");
    }

    @Test
    void providersWrittenAsASingleTableIsAnError() {
        assertThat(loadError("[providers]\nid = \"openai\"\n"))
                .isEqualTo(at(1) + "providers must be an array of tables: write [[providers]] (double brackets)"
                        + " above each entry");
    }

    @Test
    void aSectionWrittenAsAnArrayOfTablesIsAnError() {
        assertThat(loadError("[[server]]\nport = 1\n"))
                .isEqualTo(at(1) + "server must be a single table: write [server] on its own line with its keys"
                        + " below it");
    }

    @Test
    void everyUnknownKeyIsReportedAtOnce() {
        var thrown = assertThatThrownBy(() -> loader().load(write("""
                [server]
                prot = 1
                [store]
                uri = "jdbc:h2:mem:x"
                """), Map.of())).isInstanceOf(ConfigException.class).actual();

        assertThat(((ConfigException) thrown).problems()).containsExactly(
                at(2) + "unknown key \"prot\" in [server]; known keys: host, port, max_body_size,"
                        + " allowed_origins, allowed_hosts",
                at(4) + "unknown key \"uri\" in [store]; known keys: url, user, password, pool_size, master_key_file, write_timeout");
    }

    @Test
    void aFileThatDoesNotExistIsAnError() {
        Path missing = dir.resolve("nope.toml");

        assertThatThrownBy(() -> loader().load(missing, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + missing + " does not exist");
    }
}
