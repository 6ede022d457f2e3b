package dev.switchboard;

import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.events.FeedSettings;
import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.testsupport.FakeUpstream.Reply;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Switchboard on a free port with an H2 file in the test's folder, and one fake OpenAI-compatible upstream
 * serving each provider at {@code /<id>/v1/models}. {@link #change} makes a real catalog change: the
 * provider's upstream lists one more model, and a manual refresh applies it (one event, one revision).
 */
public final class FeedFixture implements AutoCloseable {
    private final FakeUpstream upstream;
    private final Map<String, AtomicInteger> generations = new ConcurrentHashMap<>();
    private SwitchboardConfig config;
    private Switchboard switchboard;
    private TestHttp http;

    private FeedFixture(FakeUpstream upstream, SwitchboardConfig config) {
        this.upstream = upstream;
        this.config = config;
    }

    public static FeedFixture start(Path dir, FeedSettings settings, String... providers) {
        return start(dir, settings, UnaryOperator.identity(), providers);
    }

    public static FeedFixture start(Path dir, FeedSettings settings, UnaryOperator<SwitchboardConfig> adjust, String... providers) {
        FakeUpstream upstream;
        try {
            upstream = FakeUpstream.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<ProviderConfig> configured = Arrays.stream(providers)
                .map(id -> TestConfigs.openai(id, upstream.uri("/" + id + "/v1"))).toList();
        FeedFixture fixture = new FeedFixture(upstream, adjust.apply(TestConfigs.embedded(dir, configured)));
        for (String id : providers) {
            fixture.generations.put(id, new AtomicInteger());
            upstream.on("/" + id + "/v1/models", request -> Reply.json(fixture.modelList(id)));
        }
        fixture.open(settings, Clock.systemUTC());
        return fixture;
    }

    /** Starts a Switchboard on the same store (after {@link #stop} or a crash). */
    public FeedFixture open(FeedSettings settings, Clock clock) {
        switchboard = new Switchboard(config, clock, settings).serve();
        http = new TestHttp(switchboard.port());
        return this;
    }

    /** Stops the Switchboard and starts another on the same store and the same port, as a restart does. */
    public FeedFixture restartOnSamePort(FeedSettings settings) {
        int port = port();
        stop();
        config = config.withServer(config.server().withPort(port));
        return open(settings, Clock.systemUTC());
    }

    /** Stops the Switchboard; the store and the upstream stay. */
    public void stop() {
        http.close();
        switchboard.close();
    }

    public Switchboard switchboard() {
        return switchboard;
    }

    public TestHttp http() {
        return http;
    }

    public FakeUpstream upstream() {
        return upstream;
    }

    public int port() {
        return switchboard.port();
    }

    public long revision() {
        return switchboard.feed().head();
    }

    /** The provider's upstream lists one more model; a refresh of it applies that. Returns the new revision. */
    public long change(String provider) {
        grow(provider);
        return refresh(provider);
    }

    /** The provider's upstream lists one more model from now on. */
    public void grow(String provider) {
        generations.get(provider).incrementAndGet();
    }

    /** Refreshes one provider through the API; returns the revision it reports. */
    public long refresh(String provider) {
        TestHttp.Response response = http.post("/api/v1/providers/" + provider + ":refresh");
        assertThat(response.status()).as(response.text()).isEqualTo(200);
        return response.json().path("revision").asLong();
    }

    /** The model ids a provider's upstream lists now. */
    public List<String> models(String provider) {
        return IntStream.rangeClosed(0, generations.get(provider).get()).mapToObj(i -> provider + "-m" + i).toList();
    }

    public String modelList(String provider) {
        return TestConfigs.openAiList(models(provider).toArray(String[]::new));
    }

    public SseClient subscribe(String query, String... headers) {
        return SseClient.connect(port(), "/api/v1/events" + query, headers);
    }

    @Override
    public void close() {
        if (http != null) http.close();
        if (switchboard != null) switchboard.close();
        upstream.close();
    }
}
