package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.metadata.ModelFacts;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A fake upstream and a real client per test, for the dialect contract tests. */
abstract class DialectTestSupport {
    /** Recognisable, so that a test can assert it appears in no reason. */
    static final String KEY = "sk-FAKE-KEY-0123456789-must-never-leak";
    static final long CAP = 1024 * 1024;

    final ObjectMapper mapper = new ObjectMapper();
    FakeUpstream upstream;
    HttpUpstreamClient client;

    @BeforeEach
    void startUpstream() throws IOException {
        upstream = FakeUpstream.start();
        client = new HttpUpstreamClient(Duration.ofSeconds(5), CAP, mapper);
    }

    @AfterEach
    void stopUpstream() {
        client.close();
        upstream.close();
    }

    /** A provider of {@code kind} whose base_url is the fake upstream plus {@code basePath}, with {@link #KEY}. */
    ProviderConfig provider(ProviderKind kind, String basePath) {
        return ProviderConfig.of(kind.wireName(), kind, upstream.uri(basePath)).withApiKey(Secret.literal(KEY));
    }

    ObjectNode json(String text) {
        try {
            return (ObjectNode) mapper.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> ids(List<Model> models) {
        return models.stream().map(Model::id).toList();
    }

    /** A recorded-shape upstream answer from {@code src/test/resources/fixtures/metadata/}. */
    static String fixture(String name) {
        try (InputStream in = DialectTestSupport.class.getResourceAsStream("/fixtures/metadata/" + name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Facts as the test expects them, written in the wire vocabulary (strictly parsed, so a typo fails the test). */
    ModelFacts facts(String json) {
        return ModelFacts.parse(json(json), "expected");
    }

    /** What {@code dialect} says about each of {@code models}, by id in listing order. */
    static Map<String, ModelFacts> factsById(ProviderDialect dialect, List<Model> models) {
        var facts = new LinkedHashMap<String, ModelFacts>();
        models.forEach(model -> facts.put(model.id(), dialect.facts(model)));
        return facts;
    }
}
