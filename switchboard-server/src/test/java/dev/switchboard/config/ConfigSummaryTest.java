package dev.switchboard.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The effective configuration printed at start shows every setting and no credential. */
class ConfigSummaryTest extends TomlFileTestSupport {

    private static final String TOML = """
            [store]
            password = "hunter2"

            [model_catalog]
            refresh_interval = 0

            [[providers]]
            id = "openai"
            kind = "openai"
            base_url = "https://api.openai.com/v1"
            api_key = "${env:OPENAI_API_KEY}"
            headers = { Authorization = "Bearer header-token" }
            """;

    @Test
    void secretsAndHeaderValuesNeverAppear() {
        String summary = ConfigSummary.render(load(TOML, Map.of("OPENAI_API_KEY", "sk-live-123")));

        assertThat(summary).doesNotContain("hunter2", "sk-live-123", "header-token");
        assertThat(summary).contains("password = \"***\"", "api_key = \"${env:OPENAI_API_KEY}\"",
                "headers = [Authorization]  # values hidden");
    }

    @Test
    void aPasswordInTheJdbcUrlIsMasked() {
        String[][] cases = {
                {"jdbc:postgresql://db:5432/sb?user=sb&password=hunter2&ssl=true", "jdbc:postgresql://db:5432/sb?user=sb&password=***&ssl=true"},
                {"jdbc:postgresql://sb:hunter2@db:5432/sb", "jdbc:postgresql://sb:***@db:5432/sb"},
                {"jdbc:postgresql://db/sb?sslmode=verify-full&sslpassword=hunter2", "jdbc:postgresql://db/sb?sslmode=verify-full&sslpassword=***"},
                {"jdbc:h2:file:./data/sb;USER=sa;PASSWORD=hunter2;WRITE_DELAY=0", "jdbc:h2:file:./data/sb;USER=sa;PASSWORD=***;WRITE_DELAY=0"},
        };
        for (String[] url : cases) {
            String summary = ConfigSummary.render(load("[store]\nurl = \"" + url[0] + "\"\n", Map.of()));

            assertThat(summary).doesNotContain("hunter2").contains("url = \"" + url[1] + "\"\n");
        }
    }

    @Test
    void everySectionIsShownInTheFileShape() {
        String summary = ConfigSummary.render(load(TOML, Map.of("OPENAI_API_KEY", "sk")));

        assertThat(summary).startsWith("# effective configuration: file " + file() + " (environment overrides applied)\n")
                .contains("[server]\nhost = \"127.0.0.1\"\nport = 8080\nmax_body_size = \"1MB\"\n")
                .contains("refresh_interval = 0  # schedule disabled\n", "max_response_bytes = \"16MB\"\n",
                        "fetch_timeout = \"10s\"\n")
                .contains("[events]\nretention = \"7d\"\nmin_events = 10000\n")
                .contains("[[providers]]\nid = \"openai\"\nkind = \"openai\"\nbase_url = \"https://api.openai.com/v1\"\n");
    }

    @Test
    void aConfigurationWithoutFileSaysSo() {
        assertThat(ConfigSummary.render(loader().defaults(Map.of())))
                .startsWith("# effective configuration: no file, defaults (environment overrides applied)\n");
    }
}
