package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.testsupport.FakeUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

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
}
