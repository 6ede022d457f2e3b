package dev.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.switchboard.TestConfigs.openAiList;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 §3: {@code /metrics} has a HELP text for every Switchboard series, JVM/process/pool series, HTTP timings
 * by route template, per-provider health that leaves with the provider, and every series is in docs/metrics.md.
 */
class MetricsEndpointTest {
    private static final Path DOCS = Path.of("..", "docs");
    private static final Pattern HELP = Pattern.compile("^# HELP (\\S+) ?(.*)$", Pattern.MULTILINE);
    private static final Pattern ROUTE = Pattern.compile("switchboard_http_server_requests_seconds_count\\{[^}]*route=\"([^\"]*)\"");

    @TempDir
    Path dir;

    @Test
    void everySeriesHasHelpAndTheExpectedSeriesAreThere() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.start()) {
            upstream.onJson("/file/models", openAiList("f1"));
            upstream.onJson("/api/models", openAiList("a1", "a2"));
            try (Switchboard switchboard = Switchboard.open(TestConfigs.embedded(dir,
                    List.of(TestConfigs.openai("from-file", upstream.uri("/file"))))).serve();
                 TestHttp http = new TestHttp(switchboard.port())) {
                assertThat(http.json("POST", "/api/v1/providers", "{\"id\":\"acme\",\"kind\":\"openai\",\"base_url\":\""
                        + upstream.uri("/api") + "\"}").status()).isEqualTo(201);
                assertThat(http.json("POST", "/api/v1/providers", "{\"id\":\"broken\",\"kind\":\"openai\",\"base_url\":\""
                        + upstream.uri("/nothing-here") + "\"}").status()).isEqualTo(201);
                http.post("/api/v1/providers:refresh");
                assertThat(http.get("/v1/models").status()).isEqualTo(200);
                assertThat(http.json("PUT", "/api/v1/model-configs/planner-7f3a", "{\"provider\":\"acme\",\"model\":\"a1\"}")
                        .status()).isEqualTo(201);
                assertThat(http.get("/api/v1/model-configs/planner-7f3a").status()).isEqualTo(200);
                assertThat(http.get("/api/v1/model-configs/absent-9c1d").status()).isEqualTo(404);
                assertThat(http.get("/no/such/path/x1y2").status()).isEqualTo(404);

                String metrics = http.get("/metrics").text();
                List<String> emptyHelp = new ArrayList<>();
                Set<String> switchboardSeries = new TreeSet<>();
                Matcher help = HELP.matcher(metrics);
                while (help.find()) {
                    if (help.group(2).isBlank()) emptyHelp.add(help.group(1));
                    if (help.group(1).startsWith("switchboard_")) switchboardSeries.add(help.group(1));
                }
                assertThat(emptyHelp).as("series without a HELP text").isEmpty();

                assertThat(metrics)
                        // JVM and process
                        .contains("jvm_memory_used_bytes{", "jvm_gc_", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                                "process_cpu_usage", "system_cpu_count", "process_uptime_seconds", "process_files_open_files")
                        // store pool
                        .contains("hikaricp_connections_active{pool=\"switchboard-store\"}", "hikaricp_connections_max")
                        // HTTP by route template
                        .contains("switchboard_http_server_requests_seconds_count{method=\"GET\",route=\"/v1/models\",status=\"200\"}")
                        .contains("switchboard_http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/model-configs/{alias}\",status=\"200\"}")
                        .contains("switchboard_http_server_requests_seconds_count{method=\"GET\",route=\"/api/v1/model-configs/{alias}\",status=\"404\"}")
                        .contains("switchboard_http_server_requests_seconds_count{method=\"PUT\",route=\"/api/v1/model-configs/{alias}\",status=\"201\"}")
                        .contains("switchboard_http_server_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"}")
                        // providers
                        .contains("switchboard_provider_models{provider=\"acme\"} 2.0")
                        .contains("switchboard_provider_status{provider=\"acme\",status=\"ok\"} 1.0")
                        .contains("switchboard_provider_status{provider=\"acme\",status=\"error\"} 0.0")
                        .contains("switchboard_provider_status{provider=\"broken\",status=\"error\"} 1.0")
                        .containsPattern("switchboard_provider_consecutive_failures\\{provider=\"broken\"} [1-9]")
                        .contains("switchboard_provider_consecutive_failures{provider=\"acme\"} 0.0")
                        .contains("switchboard_provider_last_success_age_seconds{provider=\"acme\"}")
                        .contains("switchboard_fetch_failures_total{provider=\"broken\"}")
                        .contains("switchboard_refresh_duration_seconds_count{")
                        // feed, writer
                        .contains("switchboard_events_subscribers ", "switchboard_events_lag_revisions ", "switchboard_events_buffered_max ")
                        .contains("switchboard_store_write_queue_depth ");
                assertThat(metrics).doesNotContain("planner-7f3a", "absent-9c1d", "x1y2");
                Matcher routes = ROUTE.matcher(metrics);
                while (routes.find()) assertThat(routes.group(1)).matches("unmatched|/[^\"]*");

                String documented = Files.readString(DOCS.resolve("metrics.md"));
                assertThat(switchboardSeries).allSatisfy(series ->
                        assertThat(documented).as("docs/metrics.md documents " + series).contains(baseName(series)));

                assertThat(http.send("DELETE", "/api/v1/providers/broken", "").status()).isEqualTo(204);
                assertThat(http.send("DELETE", "/api/v1/providers/acme", "").status()).isEqualTo(204);
                String after = http.get("/metrics").text();
                assertThat(after.lines().filter(line -> line.startsWith("switchboard_provider_") || line.startsWith("switchboard_fetch_")))
                        .noneMatch(line -> line.contains("provider=\"acme\"") || line.contains("provider=\"broken\""))
                        .anyMatch(line -> line.contains("provider=\"from-file\""));
            }
        }
    }

    @Test
    void theGrafanaDashboardIsValidJsonWithPanels() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(DOCS.resolve("grafana-dashboard.json")));
        assertThat(dashboard.path("panels").size()).isGreaterThan(5);
        assertThat(dashboard.toString()).contains("switchboard_http_server_requests_seconds", "switchboard_provider_status",
                "switchboard_events_lag_revisions", "switchboard_store_write_queue_depth", "hikaricp_connections", "jvm_memory_used_bytes");
    }

    /** The series name as documented: without the suffixes Prometheus adds ({@code _total}, {@code _seconds} …). */
    private static String baseName(String series) {
        return series.replaceAll("_(total|seconds|seconds_max|bytes|count|sum|max)$", "");
    }
}
