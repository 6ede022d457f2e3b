package dev.switchboard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.CatalogStates;
import dev.switchboard.catalog.Snapshot;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderKind;
import dev.switchboard.metadata.ModelFacts;
import dev.switchboard.metadata.ResolvedMetadata;
import dev.switchboard.metadata.SourcedFacts;
import dev.switchboard.provider.Model;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 15: {@code switchboard models} filters by the normalised record and shows its context window and capabilities. */
class CliModelFiltersTest {
    static final ObjectMapper MAPPER = new ObjectMapper();
    @TempDir
    Path dir;
    Switchboard server;

    @BeforeEach
    void start() throws Exception {
        server = Switchboard.open(TestConfigs.embedded(dir, List.of(
                ProviderConfig.of("local", ProviderKind.STATIC, null).withStaticModels(List.of("big", "small", "bare"))))).serve();
        assertThat(run("refresh").exitCode()).isZero();
        List<Model> models = List.of(
                model("big", """
                        {"context_window":200000,"capabilities":["tool_call","vision"],"input_modalities":["text","image"],
                         "pricing":{"input":3,"output":15,"currency":"USD"}}"""),
                model("small", """
                        {"context_window":8192,"capabilities":["tool_call"],"input_modalities":["text"],
                         "pricing":{"input":0.1,"currency":"USD"}}"""),
                new Model("bare", 0, "", MAPPER.createObjectNode()));
        Catalog current = server.catalog().current();
        Map<String, Snapshot> snapshots = new LinkedHashMap<>(current.snapshots());
        snapshots.put("local", snapshots.get("local").succeeded(models, Instant.now()));
        CatalogStates.replace(server.catalog(), new Catalog(current.revision(), snapshots));
        // a write publishes a revision: the lists are rendered again, from the catalog above
        assertThat(run("configs", "set", "vision-alias", "--provider", "local", "--model", "big").exitCode()).isZero();
    }

    private static Model model(String id, String facts) throws Exception {
        return new Model(id, 0, "", MAPPER.createObjectNode()).withNormalized(ResolvedMetadata.resolve(List.of(
                new SourcedFacts(SourcedFacts.UPSTREAM, ModelFacts.parse(MAPPER.readTree(facts), id)))));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRun run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server");
        all.add("http://127.0.0.1:" + server.port());
        return CliRun.of(all.toArray(String[]::new));
    }

    @Test
    void theTableShowsContextWindowAndCapabilities() {
        CliRun models = run("models");
        assertThat(models.exitCode()).as(models.err()).isZero();
        assertThat(models.out()).containsPattern("local/big\\s+ok\\s+200k\\s+local\\s+tool_call,vision")
                .containsPattern("local/small\\s+ok\\s+8k\\s+local\\s+tool_call")
                .containsPattern("local/bare\\s+ok\\s+-\\s+local\\s+-")
                .contains("3 models, 1 alias");
    }

    @Test
    void eachFilterAloneAndCombined() throws Exception {
        assertThat(ids("--capability", "tool_call,vision")).containsExactly("local/big", "vision-alias");
        assertThat(ids("--capability", "tool_call", "--capability", "vision")).containsExactly("local/big", "vision-alias");
        assertThat(ids("--min-context", "100000")).containsExactly("local/big", "vision-alias");
        assertThat(ids("--input-modality", "text")).containsExactly("local/big", "local/small", "vision-alias");
        assertThat(ids("--max-input-price", "0.5")).containsExactly("local/small");
        assertThat(ids("--kind", "model", "--capability", "tool_call", "--max-input-price", "3")).containsExactly("local/big", "local/small");
        assertThat(ids("--provider", "local", "--min-context", "8192", "--input-modality", "image")).containsExactly("local/big", "vision-alias");
    }

    @Test
    void aBadFilterIsTheServersClearError() {
        CliRun bad = run("models", "--capability", "teleport");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("capability").contains("teleport").contains("tool_call, reasoning");
        assertThat(run("models", "--min-context=-5").err()).contains("min_context");
    }

    @Test
    void theOptionsBecomeTheServersQueryParameters() {
        ModelsCommand command = new ModelsCommand();
        command.provider = "a b";
        command.capabilities = List.of("vision", "tool_call");
        command.minContext = 128_000L;
        command.maxInputPrice = new java.math.BigDecimal("2.50");
        assertThat(command.query()).isEqualTo("?provider=a+b&capability=vision,tool_call&min_context=128000&max_input_price=2.50");
        assertThat(new ModelsCommand().query()).isEmpty();
    }

    private List<String> ids(String... filters) throws Exception {
        List<String> args = new ArrayList<>(List.of("models", "--json"));
        args.addAll(List.of(filters));
        CliRun run = run(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        List<String> ids = new ArrayList<>();
        MAPPER.readTree(run.out()).path("data").forEach(entry -> ids.add(entry.path("id").asText()));
        return ids;
    }
}
