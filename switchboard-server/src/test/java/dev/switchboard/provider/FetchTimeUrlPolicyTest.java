package dev.switchboard.provider;

import dev.switchboard.config.ProviderKind;
import dev.switchboard.TestConfigs;
import dev.switchboard.config.CatalogConfig;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.Secret;
import dev.switchboard.testsupport.FakeUpstream.Reply;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * DNS rebinding: the URL policy of API-created providers holds for the address a name resolves to when
 * each request is made, not only when the provider was created. DNS is stood in for by the policy's
 * resolver; the JDK itself resolves {@code localhost} to the fake upstream.
 */
class FetchTimeUrlPolicyTest extends DialectTestSupport {
    private static final String METADATA = "169.254.169.254";

    /** What the policy's resolver answers for every name, changed by the test as DNS would be. */
    private final AtomicReference<String> dnsAnswer = new AtomicReference<>("127.0.0.1");
    private final UrlPolicy policy = new UrlPolicy(List.of(), host -> new InetAddress[]{address(dnsAnswer.get())});
    private final Instant deadline = Instant.now().plusSeconds(30);

    private URI localhost(String path) {
        return URI.create("http://localhost:" + upstream.baseUri().getPort() + path);
    }

    private static ProviderConfig apiProvider(URI baseUrl) {
        return new ProviderConfig("acme", ProviderKind.OPENAI, baseUrl, Secret.literal(KEY), List.of(), List.of(), List.of(),
                Map.of(), ProviderConfig.Source.API);
    }

    @Test
    void aNameThatResolvesToTheMetadataAddressWhenFetchedIsRefusedThoughItWasAllowedAtCreation() {
        upstream.onJson("/v1/models", TestConfigs.openAiList("m1"));
        URI base = localhost("/v1");
        assertThat(policy.refusal(base)).as("at creation").isEmpty();

        dnsAnswer.set(METADATA);

        assertThatThrownBy(() -> source(policy).listModels(apiProvider(base), deadline))
                .isInstanceOf(FetchException.class)
                .hasMessage("refused " + localhost("/v1/models") + ": resolves to 169.254.169.254, a link-local or metadata address,"
                        + " which is not allowed (list the host in [auth] allowed_provider_hosts to permit it)");
        assertThat(upstream.requestCount("/v1/models")).isZero();
    }

    @Test
    void everyRedirectHopIsCheckedAgain() {
        upstream.on("/v1/models", request -> {
            dnsAnswer.set(METADATA); // the name moves while the first answer is on its way
            return (exchange, pause) -> {
                exchange.getResponseHeaders().set("Location", "/v2/models");
                exchange.sendResponseHeaders(302, -1);
            };
        });
        upstream.onJson("/v2/models", TestConfigs.openAiList("m1"));

        assertThatThrownBy(() -> source(policy)
                .listModels(apiProvider(localhost("/v1")), deadline))
                .hasMessageStartingWith("refused " + localhost("/v2/models") + ": resolves to 169.254.169.254");
        assertThat(upstream.requestCount("/v2/models")).isZero();
    }

    @Test
    void configFileProvidersAreTrustedAsWritten() throws Exception {
        upstream.onJson("/v1/models", TestConfigs.openAiList("m1"));
        dnsAnswer.set(METADATA);
        var fromFile = ProviderConfig.of("local", ProviderKind.OPENAI, localhost("/v1"));

        List<Model> models = source(policy).listModels(fromFile, deadline);

        assertThat(ids(models)).containsExactly("m1");
    }

    @Test
    void anAllowListedHostIsFetchedWhateverItResolvesTo() throws Exception {
        upstream.onJson("/v1/models", TestConfigs.openAiList("m1"));
        dnsAnswer.set(METADATA);
        var allowing = new UrlPolicy(List.of("localhost"), host -> new InetAddress[]{address(dnsAnswer.get())});

        List<Model> models = source(allowing)
                .listModels(apiProvider(localhost("/v1")), deadline);

        assertThat(ids(models)).containsExactly("m1");
    }

    private UpstreamModelSource source(UrlPolicy urlPolicy) {
        return new UpstreamModelSource(new ProviderDialects(), client, urlPolicy, CatalogConfig.DEFAULT_MAX_MODELS);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
