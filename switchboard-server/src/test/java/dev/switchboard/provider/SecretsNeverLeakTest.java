package dev.switchboard.provider;

import dev.switchboard.testsupport.FakeUpstream;
import dev.switchboard.config.ProviderKind;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import dev.switchboard.testsupport.FakeUpstream.Reply.Framing;
import dev.switchboard.testsupport.FakeUpstream.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Every failure reason, for a request that carries the key the way Gemini (query) and Anthropic or
 * OpenAI (headers) send it, against upstreams that echo what they received.
 */
class SecretsNeverLeakTest extends DialectTestSupport {
    private static final String PATH = "/v1beta/models";
    /** Only the two scenarios that never answer wait this long. */
    private static final Duration HANG_TIMEOUT = Duration.ofMillis(500);

    private static String echo(RecordedRequest request) {
        return "{\"error\":\"bad key " + request.query().get("key") + "\",\"query\":\"" + request.rawQuery()
                + "\",\"auth\":\"" + request.header("Authorization").orElse("") + "\",\"x-api-key\":\""
                + request.header("x-api-key").orElse("") + "\"}";
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("400 echoing the request", (FakeUpstream.Responder) r -> Reply.json(400, echo(r))),
                Arguments.of("401 echoing the request", (FakeUpstream.Responder) r -> Reply.json(401, echo(r))),
                Arguments.of("403 echoing the request", (FakeUpstream.Responder) r -> Reply.json(403, echo(r))),
                Arguments.of("500 echoing the request", (FakeUpstream.Responder) r -> Reply.json(500, echo(r))),
                Arguments.of("key cut by the excerpt limit",
                        (FakeUpstream.Responder) r -> Reply.json(500, "x".repeat(190) + KEY)),
                Arguments.of("key as a bare JSON token", (FakeUpstream.Responder) r -> Reply.json(200, KEY)),
                Arguments.of("key inside malformed JSON",
                        (FakeUpstream.Responder) r -> Reply.json(200, "{\"k\":\"" + KEY + "\" oops")),
                Arguments.of("body over the cap", (FakeUpstream.Responder) r -> Reply.paddedJson("{}", 2 * CAP, Framing.CHUNKED)),
                Arguments.of("body stalls", (FakeUpstream.Responder) r -> Reply.headersThenStall()),
                Arguments.of("no answer", (FakeUpstream.Responder) r -> Reply.hang()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void noReasonContainsTheKey(String scenario, FakeUpstream.Responder responder) {
        upstream.on(PATH, responder);
        try (var quick = new HttpUpstreamClient(HANG_TIMEOUT, CAP, mapper)) {
            assertNoLeak(catchThrowable(() -> quick.getJson(keyedUri(upstream.baseUri()), keyedHeaders())));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void noReasonFromADialectContainsTheKey(String scenario, FakeUpstream.Responder responder) {
        upstream.on(PATH, responder);
        try (var quick = new HttpUpstreamClient(HANG_TIMEOUT, CAP, mapper)) {
            assertNoLeak(catchThrowable(() -> new GeminiDialect().listModels(provider(ProviderKind.GEMINI, ""), quick)));
        }
    }

    static Stream<Arguments> encodedEchoes() {
        return Stream.of(
                Arguments.of("base64", base64(KEY)),
                Arguments.of("base64 without padding", base64(KEY).replace("=", "")),
                Arguments.of("url-safe base64", Base64.getUrlEncoder().encodeToString(KEY.getBytes(StandardCharsets.UTF_8))),
                Arguments.of("base64 of user:key, as in Basic auth", base64("user:" + KEY)),
                Arguments.of("base64 of the key after one other byte", base64("x" + KEY)),
                Arguments.of("every character \\u-escaped", unicodeEscaped(KEY, "%04x")),
                Arguments.of("every character \\u-escaped in upper case", unicodeEscaped(KEY, "%04X")),
                Arguments.of("only the dashes \\u-escaped", KEY.replace("-", "\\u002d")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodedEchoes")
    void noReasonContainsTheKeyEncodedByTheUpstream(String scenario, String echoed) {
        upstream.on(PATH, request -> Reply.json(401, "{\"error\":\"bad key " + echoed + "\"}"));

        Throwable failure = catchThrowable(() -> client.getJson(keyedUri(upstream.baseUri()), keyedHeaders()));

        assertNoLeak(failure);
        assertThat(failure.getMessage()).contains(Redactor.MASK).doesNotContain(echoed.substring(8, 20));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String unicodeEscaped(String text, String hexFormat) {
        return text.chars().mapToObj(c -> "\\u" + String.format(hexFormat, c)).collect(Collectors.joining());
    }

    @Test
    void noReasonWithoutAnUpstreamContainsTheKey() throws Exception {
        URI refused = keyedUri(URI.create("http://127.0.0.1:1"));
        assertNoLeak(catchThrowable(() -> client.getJson(refused, keyedHeaders())));
        assertNoLeak(catchThrowable(() -> client.withDeadline(Instant.now().minusSeconds(1))
                .getJson(keyedUri(upstream.baseUri()), keyedHeaders())));
        client.close();
        assertNoLeak(catchThrowable(() -> client.getJson(keyedUri(upstream.baseUri()), keyedHeaders())));
    }

    private static URI keyedUri(URI base) {
        return URI.create(base + PATH + "?key=" + KEY + "&pageSize=1000");
    }

    private static Map<String, String> keyedHeaders() {
        return Map.of("Authorization", "Bearer " + KEY, "x-api-key", KEY);
    }

    private static void assertNoLeak(Throwable failure) {
        assertThat(failure).isInstanceOf(FetchException.class);
        // A cut key would still leak its start: look for a prefix, not just the whole key.
        assertThat(failure.getMessage()).isNotBlank().doesNotContain(KEY.substring(0, 8));
        assertThat(failure.toString()).doesNotContain(KEY.substring(0, 8));
    }
}
