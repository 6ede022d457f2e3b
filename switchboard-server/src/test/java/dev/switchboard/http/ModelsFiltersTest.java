package dev.switchboard.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.catalog.Catalog;
import dev.switchboard.catalog.CatalogStates;
import dev.switchboard.catalog.Snapshot;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.ProviderKind;
import dev.switchboard.metadata.MetadataField;
import dev.switchboard.metadata.ModelFacts;
import dev.switchboard.metadata.ResolvedMetadata;
import dev.switchboard.metadata.SourcedFacts;
import dev.switchboard.provider.Model;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15, "Filters: every filter alone and combined, on 100k models, with ETags that differ per filter", over
 * real HTTP with token auth on. The 100k models carry normalised records set by the test (put in the live catalog
 * as the writer would), each field a function of the model's number, so every count is computed independently.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelsFiltersTest {
    static final int N = 100_000;
    static final String ADMIN = "admin-key-for-tests-0123456789";
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @TempDir
    static Path dir;
    Switchboard switchboard;
    TestHttp http;
    String reader;
    final AtomicInteger routed = new AtomicInteger();

    /** Model i: tool_call when even, vision when i % 3 == 0, reasoning when i % 5 == 0. */
    static boolean toolCall(int i) {
        return i % 2 == 0;
    }

    static boolean vision(int i) {
        return i % 3 == 0;
    }

    /** Input text always, image when i % 4 == 0. */
    static boolean image(int i) {
        return i % 4 == 0;
    }

    /** By i % 5: 32k, 128k, 200k, 1M, unknown. */
    static long context(int i) {
        return new long[]{32_000, 128_000, 200_000, 1_000_000, 0}[i % 5];
    }

    /** Input price 0.5 × (i % 7) USD per 1M tokens; unknown when i % 7 == 6. */
    static double price(int i) {
        return i % 7 == 6 ? -1 : 0.5 * (i % 7);
    }

    static ResolvedMetadata metadata(int i) {
        var capabilities = NODES.arrayNode();
        if (toolCall(i)) capabilities.add("tool_call");
        if (vision(i)) capabilities.add("vision");
        if (i % 5 == 0) capabilities.add("reasoning");
        var modalities = NODES.arrayNode().add("text");
        if (image(i)) modalities.add("image");
        ModelFacts.Builder facts = ModelFacts.builder().put(MetadataField.CAPABILITIES, capabilities)
                .put(MetadataField.INPUT_MODALITIES, modalities);
        if (context(i) > 0) facts.put(MetadataField.CONTEXT_WINDOW, context(i));
        if (price(i) >= 0) {
            facts.put(MetadataField.PRICING, NODES.objectNode().put("input", price(i)).put("output", 2 * price(i)).put("currency", "USD"));
        }
        return ResolvedMetadata.resolve(List.of(new SourcedFacts(SourcedFacts.UPSTREAM, facts.build())));
    }

    @BeforeAll
    void start() {
        List<ProviderConfig> providers = List.of(
                ProviderConfig.of("bench", ProviderKind.STATIC, null).withStaticModels(List.of("m000000")),
                ProviderConfig.of("local", ProviderKind.STATIC, null).withStaticModels(List.of("tiny")));
        switchboard = Switchboard.open(TestConfigs.secured(dir, providers, ADMIN)).serve();
        http = new TestHttp(switchboard.port());
        assertThat(http.post("/api/v1/providers:refresh", "Authorization", "Bearer " + ADMIN).status()).isEqualTo(200);
        TestHttp.Response key = admin("POST", "/api/v1/keys", "{\"name\":\"reader\",\"role\":\"reader\"}");
        assertThat(key.status()).as(key.text()).isEqualTo(201);
        reader = key.json().path("key").asText();

        // the records repeat every 420 models (2·3·4·5·7): shared, so 100k models stay small
        Map<Integer, ResolvedMetadata> records = new HashMap<>();
        ObjectNode none = NODES.objectNode();
        List<Model> models = new ArrayList<>(N);
        for (int i = 0; i < N; i++) {
            models.add(new Model(id(i), 0, "", none).withNormalized(records.computeIfAbsent(i % 420, ModelsFiltersTest::metadata)));
        }
        Catalog current = switchboard.catalog().current();
        Map<String, Snapshot> snapshots = new LinkedHashMap<>(current.snapshots());
        snapshots.put("bench", snapshots.get("bench").succeeded(models, Instant.now()));
        CatalogStates.replace(switchboard.catalog(), new Catalog(current.revision(), snapshots));
        // aliases to model 0 (every capability, image, 32k, free), model 1 (none, text, 128k, 0.5) and a model without a record
        for (String[] alias : List.of(new String[]{"first", "bench", id(0)}, new String[]{"second", "bench", id(1)},
                new String[]{"small", "local", "tiny"})) {
            TestHttp.Response put = admin("PUT", "/api/v1/model-configs/" + alias[0],
                    "{\"provider\":\"" + alias[1] + "\",\"model\":\"" + alias[2] + "\"}");
            assertThat(put.status()).as(put.text()).isEqualTo(201);
        }
        // counts every request the router sees: a request the hot path answers never gets here
        switchboard.api().router().route().order(-1000).handler(ctx -> {
            routed.incrementAndGet();
            ctx.next();
        });
    }

    @AfterAll
    void stop() {
        http.close();
        switchboard.close();
    }

    static String id(int i) {
        return String.format("m%06d", i);
    }

    private TestHttp.Response admin(String method, String path, String body) {
        return http.json(method, path, body, "Authorization", "Bearer " + ADMIN);
    }

    private TestHttp.Response read(String query, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + reader;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return http.get("/v1/models" + (query.isEmpty() ? "" : "?" + query), all);
    }

    private static long models(IntPredicate kept) {
        return IntStream.range(0, N).filter(kept).count();
    }

    /** Entries in a list body, counted without parsing 25 MB into a tree: each starts with its id. */
    private static long entries(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        long count = 0;
        for (int at = text.indexOf("{\"id\":\""); at >= 0; at = text.indexOf("{\"id\":\"", at + 1)) count++;
        return count;
    }

    @Test
    void everyFilterAloneAndCombinedOn100kModelsWithETagsThatDifferPerFilter() {
        Map<String, Long> expected = new LinkedHashMap<>();
        expected.put("", N + 1 + 3L);
        expected.put("provider=local", 2L); // tiny and the alias small
        expected.put("kind=alias", 3L);
        expected.put("capability=tool_call,vision", models(i -> toolCall(i) && vision(i)) + 1); // + first
        expected.put("min_context=128000", models(i -> context(i) >= 128_000) + 1); // + second
        expected.put("input_modality=image", models(ModelsFiltersTest::image) + 1); // + first
        expected.put("max_input_price=1", models(i -> price(i) >= 0 && price(i) <= 1) + 2); // + first, second
        expected.put("provider=bench&kind=model&capability=tool_call&input_modality=image&min_context=200000&max_input_price=2",
                models(i -> toolCall(i) && image(i) && context(i) >= 200_000 && price(i) >= 0 && price(i) <= 2));
        expected.put("provider=bench,local&capability=reasoning&min_context=1000000", models(i -> i % 5 == 0 && context(i) >= 1_000_000));

        long revision = switchboard.bus().revision();
        Map<String, String> etags = new LinkedHashMap<>();
        expected.forEach((query, count) -> {
            TestHttp.Response response = read(query);
            assertThat(response.status()).as(query).isEqualTo(200);
            // the full list of a large catalog renders on its own thread and may still show an older revision
            if (!query.isEmpty()) assertThat(response.revision()).as(query).isEqualTo(revision);
            if (!query.isEmpty()) assertThat(entries(response.bytes())).as(query).isEqualTo(count);
            etags.put(query, response.header("ETag"));
        });
        assertThat(etags.get("provider=local")).matches("\"" + revision + "-[0-9a-f]{8}-[0-9a-f]+\"");
        assertThat(etags.values()).as("one ETag per filter").doesNotHaveDuplicates();
        assertThat(expected.get("provider=bench,local&capability=reasoning&min_context=1000000")).as("an empty answer").isZero();

        // equivalent queries: one cached body, one ETag
        Map<String, String> equivalent = Map.of(
                "capability=vision,tool_call", "capability=tool_call,vision",
                "capability=tool_call&capability=vision&capability=tool_call", "capability=tool_call,vision",
                "max_input_price=1.00", "max_input_price=1",
                "min_context=0128000", "min_context=128000",
                "kind=alias,model&provider=local", "provider=local",
                "max_input_price=2.0&min_context=200000&input_modality=image&capability=tool_call&kind=model&provider=bench",
                "provider=bench&kind=model&capability=tool_call&input_modality=image&min_context=200000&max_input_price=2");
        equivalent.forEach((query, canonical) -> assertThat(read(query).header("ETag")).as(query).isEqualTo(etags.get(canonical)));
        assertThat(read("capability=tool_call,vision").bytes()).isEqualTo(read("capability=vision,tool_call").bytes());
    }

    @Test
    void cachedFilteredBodiesAreServedBeforeTheRouterUnderTheSameChecks() {
        TestHttp.Response first = read("provider=local&kind=alias");
        assertThat(first.status()).isEqualTo(200);
        String etag = first.header("ETag");
        int before = routed.get();

        TestHttp.Response again = read("kind=alias&provider=local");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.bytes()).isEqualTo(first.bytes());
        assertThat(again.header("ETag")).isEqualTo(etag);
        TestHttp.Response notModified = read("provider=local&kind=alias", "If-None-Match", etag);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.revision()).isEqualTo(first.revision());
        assertThat(read("provider=local&kind=alias", "Accept-Encoding", "gzip").header("Content-Encoding")).isEqualTo("gzip");
        assertThat(routed.get()).as("served on the hot path").isEqualTo(before);

        // no credential, a wrong one: the router's 401, although the body is cached
        assertThat(http.get("/v1/models?provider=local&kind=alias").status()).isEqualTo(401);
        assertThat(http.get("/v1/models?provider=local&kind=alias", "If-None-Match", etag).status()).isEqualTo(401);
        assertThat(http.get("/v1/models?provider=local&kind=alias", "Authorization", "Bearer sk-sb-wrong").status()).isEqualTo(401);
        // a parameter the hot path does not handle, and a bad filter: the router
        assertThat(read("provider=local&kind=alias&min_revision=1").header("ETag")).isEqualTo(etag);
        TestHttp.Response bad = read("capability=teleport");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").path("message").asText()).contains("capability").contains("tool_call, reasoning");
        assertThat(read("min_context=-1").status()).isEqualTo(400);
        assertThat(read("max_input_price=cheap").status()).isEqualTo(400);
        // the full list of 100k models renders on its own thread: once it has caught up, both name the same body
        await().atMost(Duration.ofSeconds(30)).until(() -> read("").revision() == switchboard.bus().revision());
        int beforeUnknown = routed.get();
        assertThat(read("color=blue").header("ETag")).as("unknown parameters are ignored, as before")
                .isEqualTo(read("").header("ETag"));
        assertThat(routed.get()).isEqualTo(beforeUnknown + 1);
        assertThat(beforeUnknown).isEqualTo(before + 7);
    }
}
