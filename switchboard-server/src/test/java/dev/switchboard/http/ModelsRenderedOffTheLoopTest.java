package dev.switchboard.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9, item 7: a large catalog's {@code /v1/models} body is rendered on its own thread, never on an event
 * loop or the writer; until it is done the previous body is served whole (its bytes, ETag and revision).
 * The render thread is one the test holds, so "a render is under way" is a state, not a race.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelsRenderedOffTheLoopTest {
    /** Far over what the writer renders itself ({@link ModelsRenderer#WRITER_RENDER_LIMIT}). */
    static final int LARGE = 10_000;

    @TempDir
    static Path dir;
    final HeldExecutor largeRenders = new HeldExecutor();
    final HeldExecutor smallRenders = new HeldExecutor();
    FakeUpstream upstream;
    Switchboard large;
    Switchboard small;
    TestHttp http;
    TestHttp smallHttp;

    @BeforeAll
    void start() throws Exception {
        upstream = FakeUpstream.start();
        upstream.onJson("/large/models", TestConfigs.openAiList(IntStream.range(0, LARGE).mapToObj(i -> "m" + i).toArray(String[]::new)));
        upstream.onJson("/small/models", TestConfigs.openAiList("s1", "s2"));
        large = Switchboard.open(TestConfigs.embedded(dir.resolve("large"), List.of(TestConfigs.openai("big", upstream.uri("/large"))))).serve(Switchboard.Threads.OWN.withModelsRenderer(largeRenders));
        small = Switchboard.open(TestConfigs.embedded(dir.resolve("small"), List.of(TestConfigs.openai("few", upstream.uri("/small"))))).serve(Switchboard.Threads.OWN.withModelsRenderer(smallRenders));
        http = new TestHttp(large.port());
        smallHttp = new TestHttp(small.port());
        assertThat(http.post("/api/v1/providers:refresh").status()).isEqualTo(200);
        assertThat(smallHttp.post("/api/v1/providers:refresh").status()).isEqualTo(200);
        largeRenders.runQueued();
    }

    @AfterAll
    void stop() {
        http.close();
        smallHttp.close();
        large.close();
        small.close();
        upstream.close();
    }

    @Test
    void whileALargeBodyRendersThePreviousOneIsServedWholeAndOtherRequestsAnswer() throws IOException {
        largeRenders.runQueued();
        TestHttp.Response before = http.get("/v1/models");
        String etag = before.header("ETag");
        assertThat(before.json().path("data")).hasSize(LARGE + aliasCount());
        assertThat(before.revision()).isEqualTo(large.bus().revision());

        // the write answers although the render is held: neither the writer nor an event loop renders it
        assertThat(put("while-held").status()).isEqualTo(201);
        long written = large.bus().revision();
        assertThat(written).isGreaterThan(before.revision());
        assertThat(largeRenders.queued()).isEqualTo(1);

        TestHttp.Response during = http.get("/v1/models");
        assertThat(during.status()).isEqualTo(200);
        assertThat(during.bytes()).isEqualTo(before.bytes());
        assertThat(during.header("ETag")).isEqualTo(etag);
        assertThat(during.revision()).isEqualTo(before.revision());
        TestHttp.Response zipped = http.get("/v1/models", "Accept-Encoding", "gzip");
        assertThat(zipped.header("ETag")).isEqualTo(etag);
        assertThat(gunzip(zipped.bytes())).isEqualTo(before.bytes());
        TestHttp.Response notModified = http.get("/v1/models", "If-None-Match", etag);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.revision()).isEqualTo(before.revision());
        assertThat(http.get("/healthz").status()).isEqualTo(200);
        // the filtered lists and one entry are computed from the current state: they already show the write
        TestHttp.Response aliases = http.get("/v1/models?kind=alias");
        assertThat(aliases.json().findValuesAsText("id")).contains("while-held");
        assertThat(aliases.revision()).isEqualTo(written);
        assertThat(http.get("/v1/models/while-held").status()).isEqualTo(200);

        largeRenders.runQueued();
        TestHttp.Response after = http.get("/v1/models");
        assertThat(after.revision()).isEqualTo(written);
        assertThat(after.header("ETag")).isNotEqualTo(etag).startsWith("\"" + written + "-");
        assertThat(after.json().findValuesAsText("id")).contains("while-held");
        assertThat(gunzip(http.get("/v1/models", "Accept-Encoding", "gzip").bytes())).isEqualTo(after.bytes());
    }

    @Test
    void revisionsPublishedWhileARenderIsPendingAreRenderedOnceAtTheNewest() {
        largeRenders.runQueued();
        long before = http.get("/v1/models").revision();
        for (String alias : List.of("burst-a", "burst-b", "burst-c")) assertThat(put(alias).status()).isEqualTo(201);
        assertThat(large.bus().revision()).isEqualTo(before + 3);
        assertThat(largeRenders.queued()).as("one render for the three revisions").isEqualTo(1);
        assertThat(http.get("/v1/models").revision()).isEqualTo(before);

        largeRenders.runQueued();
        assertThat(largeRenders.queued()).isZero();
        TestHttp.Response after = http.get("/v1/models");
        assertThat(after.revision()).isEqualTo(before + 3);
        assertThat(after.json().findValuesAsText("id")).contains("burst-a", "burst-b", "burst-c");
    }

    @Test
    void aSmallCatalogIsRenderedByTheWriterSoAWriteSeesItsOwnChange() {
        TestHttp.Response saved = smallHttp.json("PUT", "/api/v1/model-configs/mine", "{\"provider\":\"few\",\"model\":\"s1\"}");
        assertThat(saved.status()).isEqualTo(201);
        TestHttp.Response list = smallHttp.get("/v1/models");
        assertThat(list.revision()).isEqualTo(small.bus().revision());
        assertThat(list.json().findValuesAsText("id")).containsExactly("few/s1", "few/s2", "mine");
        assertThat(smallRenders.queued()).isZero();
    }

    @Test
    void aFirstRequestThatFetchesALargeCatalogAnswersWithWhatItFetched() {
        HeldExecutor renders = new HeldExecutor();
        try (Switchboard cold = Switchboard.open(TestConfigs.embedded(dir.resolve("cold"), List.of(TestConfigs.openai("big", upstream.uri("/large")))))
                .serve(Switchboard.Threads.OWN.withModelsRenderer(renders)); TestHttp coldHttp = new TestHttp(cold.port())) {
            TestHttp.Response first = coldHttp.get("/v1/models");
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.json().path("data")).hasSize(LARGE);
            assertThat(renders.queued()).as("the full body itself is still to render").isEqualTo(1);
        }
    }

    private TestHttp.Response put(String alias) {
        return http.json("PUT", "/api/v1/model-configs/" + alias, "{\"provider\":\"big\",\"model\":\"m1\"}");
    }

    private int aliasCount() {
        return large.configs().current().byAlias().size();
    }

    private static byte[] gunzip(byte[] bytes) throws IOException {
        try (var in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        }
    }

    /** Queues what it is given; the test runs it, on its own thread, when it chooses. */
    static final class HeldExecutor implements Executor {
        private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();

        @Override
        public void execute(Runnable command) {
            queue.add(command);
        }

        int queued() {
            return queue.size();
        }

        void runQueued() {
            List<Runnable> now = new ArrayList<>();
            for (Runnable task; (task = queue.poll()) != null; ) now.add(task);
            now.forEach(Runnable::run);
        }
    }
}
