package dev.switchboard.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The rules of [[providers]]: ids, kinds, base URLs and the models of static providers. */
class ProvidersConfigTest extends TomlFileTestSupport {

    @Test
    void providersComeFromTheConfigFile() {
        ProviderConfig provider = load("""
                [[providers]]
                id = "ollama"
                kind = "ollama"
                base_url = "http://localhost:11434"
                """).providers().getFirst();

        assertThat(provider.source()).isEqualTo(ProviderConfig.Source.CONFIG);
        assertThat(provider.apiKey()).isEqualTo(Secret.NONE);
    }

    @Test
    void aDuplicateIdNamesBothLines() {
        assertThat(loadError("""
                [[providers]]
                id = "openai"
                kind = "openai"
                base_url = "https://api.openai.com/v1"

                [[providers]]
                id = "openai"
                kind = "openai"
                base_url = "https://openai.proxy.example/v1"
                """)).isEqualTo(at(7) + "[[providers]] duplicate id \"openai\": already used at line 2;"
                + " provider ids must be unique");
    }

    @Test
    void anIdThatIsNotASlugIsRejected() {
        assertThat(loadError("[[providers]]\nid = \"Open AI\"\nkind = \"static\"\nmodels = [\"m\"]\n"))
                .isEqualTo(at(2) + "[[providers]] id must be 1 to 63 lowercase letters, digits, \".\", \"_\" or \"-\","
                        + " starting with a letter or digit, got \"Open AI\"");
    }

    @Test
    void aProviderWithoutIdIsRejectedAtItsHeader() {
        assertThat(loadError("\n[[providers]]\nkind = \"static\"\nmodels = [\"m\"]\n"))
                .isEqualTo(at(2) + "[[providers]] needs id, e.g. id = \"openai\"");
    }

    @Test
    void anUnknownKindListsTheKinds() {
        assertThat(loadError("[[providers]]\nid = \"x\"\nkind = \"openia\"\nbase_url = \"https://x.example\"\n"))
                .isEqualTo(at(3) + "[[providers]] kind must be one of openai, anthropic, gemini, ollama, registry,"
                        + " static, got \"openia\"");
    }

    @Test
    void aProviderWithoutKindIsRejectedListingTheKinds() {
        assertThat(loadError("[[providers]]\nid = \"x\"\n"))
                .isEqualTo(at(1) + "[[providers]] needs kind, e.g. kind = \"openai\" (one of openai, anthropic,"
                        + " gemini, ollama, registry, static)");
    }

    @Test
    void aStaticProviderWithoutModelsIsRejected() {
        assertThat(loadError("[[providers]]\nid = \"local\"\nkind = \"static\"\n"))
                .isEqualTo(at(1) + "[[providers]] kind = \"static\" needs models, e.g."
                        + " models = [\"llama-3.1-8b-instruct\"]");
    }

    @Test
    void aStaticProviderWithAnEmptyModelListIsRejected() {
        assertThat(loadError("[[providers]]\nid = \"local\"\nkind = \"static\"\nmodels = []\n"))
                .isEqualTo(at(4) + "[[providers]] models must list at least one, got []");
    }

    @Test
    void aStaticProviderListingAModelTwiceIsRejected() {
        assertThat(loadError("[[providers]]\nid = \"local\"\nkind = \"static\"\nmodels = [\"a\", \"a\"]\n"))
                .isEqualTo(at(4) + "[[providers]] models lists \"a\" more than once");
    }

    @Test
    void aStaticProviderWithABaseUrlIsRejected() {
        assertThat(loadError("""
                [[providers]]
                id = "local"
                kind = "static"
                base_url = "http://localhost:8000/v1"
                models = ["m"]
                """)).isEqualTo(at(4) + "[[providers]] base_url is not used by kind = \"static\", whose models are"
                + " listed in the file; remove it, or choose the kind of the upstream it points at");
    }

    @Test
    void modelsOnAFetchedProviderAreRejected() {
        assertThat(loadError("""
                [[providers]]
                id = "openai"
                kind = "openai"
                base_url = "https://api.openai.com/v1"
                models = ["gpt-5"]
                """)).isEqualTo(at(5) + "[[providers]] models as a list is only for kind = \"static\"; the models of kind ="
                + " \"openai\" come from its upstream (use allowed_models or denied_models to filter them, or a table"
                + " [providers.models.\"<id>\"] to set their metadata)");
    }

    @Test
    void aFetchedProviderWithoutBaseUrlIsRejected() {
        assertThat(loadError("[[providers]]\nid = \"anthropic\"\nkind = \"anthropic\"\n"))
                .isEqualTo(at(1) + "[[providers]] kind = \"anthropic\" needs base_url, e.g."
                        + " base_url = \"https://api.openai.com/v1\"");
    }

    /** A base_url an openai provider cannot use, and what it is refused with (at its line, after the section). */
    static Stream<Arguments> badBaseUrls() {
        return Stream.of(
                arguments("api.openai.com/v1", "base_url must be an absolute URL with a scheme, such as"
                        + " \"https://api.openai.com/v1\", got \"api.openai.com/v1\""),
                arguments("ftp://x.example", "base_url must use http or https (or file: for kind = \"registry\"),"
                        + " got \"ftp://x.example\""),
                arguments("https://u:p@x.example", "base_url must not contain a user name or password; put credentials"
                        + " in api_key or headers"),
                arguments("file:models.json", "base_url may be a file: URL only for kind = \"registry\";"
                        + " kind = \"openai\" needs an http or https URL such as \"https://api.openai.com/v1\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBaseUrls")
    void aBaseUrlTheProviderCannotUseIsRejected(String baseUrl, String message) {
        assertThat(loadError("[[providers]]\nid = \"x\"\nkind = \"openai\"\nbase_url = \"" + baseUrl + "\"\n"))
                .isEqualTo(at(4) + "[[providers]] " + message);
    }

    @Test
    void aBaseUrlThatDoesNotParseIsRejected() {
        assertThat(loadError("[[providers]]\nid = \"x\"\nkind = \"openai\"\nbase_url = \"https://a b/v1\"\n"))
                .startsWith(at(4) + "[[providers]] base_url must be an absolute URL such as"
                        + " \"https://api.openai.com/v1\", got \"https://a b/v1\" (");
    }

    @Test
    void aRegistryMayReadARelativeFileResolvedAgainstTheWorkingDirectory() throws Exception {
        Files.createDirectories(dir.resolve("config"));
        ProviderConfig registry = load("""
                [[providers]]
                id = "acme-registry"
                kind = "registry"
                base_url = "file:config/registry.json"
                """).providers().getFirst();

        assertThat(registry.kind()).isEqualTo(ProviderKind.REGISTRY);
        assertThat(registry.baseUrl()).isEqualTo(dir.resolve("config/registry.json").toUri());
    }

    @Test
    void aRegistryMayReadAnAbsoluteFile() {
        ProviderConfig registry = load("""
                [[providers]]
                id = "acme"
                kind = "registry"
                base_url = "file:///etc/switchboard/models.json"
                """).providers().getFirst();

        assertThat(registry.baseUrl()).isEqualTo(Path.of("/etc/switchboard/models.json").toUri());
    }

    @Test
    void modelFiltersMustBeArraysOfStrings() {
        assertThat(loadError("""
                [[providers]]
                id = "x"
                kind = "openai"
                base_url = "https://x.example"
                allowed_models = "gpt-*"
                denied_models = ["a", 1]
                """)).isEqualTo(at(5) + "[[providers]] allowed_models must be an array of strings such as [\"a\", \"b\"],"
                + " got \"gpt-*\"\n"
                + at(6) + "[[providers]] denied_models must be an array of non-empty strings, got 1 in it");
    }

    @Test
    void headerValuesMustBeStrings() {
        assertThat(loadError("""
                [[providers]]
                id = "x"
                kind = "openai"
                base_url = "https://x.example"

                [providers.headers]
                X-Retries = 3
                """)).isEqualTo(at(7) + "[[providers]] headers.X-Retries must be a string");
    }

    /** An inline headers table an openai provider cannot send, and what it is refused with. */
    static Stream<Arguments> badHeaders() {
        return Stream.of(
                arguments("{ \"X Org\" = \"acme\" }", "headers has an invalid header name \"X Org\"; a name is letters,"
                        + " digits and -, e.g. \"X-Org\""),
                // a header the HTTP client sets itself
                arguments("{ host = \"internal.example\" }", "headers cannot set \"host\": the HTTP client sets it from"
                        + " base_url (Host, Connection, Content-Length, Expect, Upgrade and Transfer-Encoding are reserved)"),
                arguments("{ \"X-Org\" = \"acme\\r\\nHost: evil\" }", "headers value of \"X-Org\" contains a line break"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHeaders")
    void aHeaderTheProviderCannotSendIsRejected(String headers, String message) {
        assertThat(loadError("""
                [[providers]]
                id = "x"
                kind = "openai"
                base_url = "https://x.example"
                headers = %s
                """.formatted(headers))).isEqualTo(at(5) + "[[providers]] " + message);
    }

    @Test
    void modelsAsATableSetMetadataPerModelAndDeclareAStaticProvidersModels() {
        ProviderConfig local = load("""
                [[providers]]
                id = "local"
                kind = "static"
                [providers.models."llama-3"]
                context_window = 8192
                capabilities = ["tool_call"]
                release_date = 2024-04-18
                [providers.models."qwen"]
                display_name = "Qwen"
                pricing = { input = 0.5, output = 1, currency = "USD" }
                """).providers().getFirst();
        assertThat(local.staticModels()).containsExactly("llama-3", "qwen");
        assertThat(local.modelMetadata().get("llama-3").toJson().toString())
                .isEqualTo("{\"context_window\":8192,\"capabilities\":[\"tool_call\"],\"release_date\":\"2024-04-18\"}");
        assertThat(local.modelMetadata().get("qwen").toJson().toString())
                .isEqualTo("{\"display_name\":\"Qwen\",\"pricing\":{\"input\":0.5,\"output\":1,\"currency\":\"USD\"}}");

        ProviderConfig openai = load("""
                [[providers]]
                id = "openai"
                kind = "openai"
                base_url = "https://api.openai.com/v1"
                models."gpt-4o" = { context_window = 128000 }
                """).providers().getFirst();
        assertThat(openai.staticModels()).isEmpty();
        assertThat(openai.modelMetadata()).containsOnlyKeys("gpt-4o");
    }

    @Test
    void badModelMetadataNamesTheModelAndTheField() {
        assertThat(loadError("""
                [[providers]]
                id = "openai"
                kind = "openai"
                base_url = "https://api.openai.com/v1"
                models."gpt-4o" = { context_window = "big" }
                """)).contains("models.\"gpt-4o\".context_window must be a positive whole number of tokens");
        assertThat(loadError("""
                [[providers]]
                id = "openai"
                kind = "openai"
                base_url = "https://api.openai.com/v1"
                models."gpt-4o" = { context = 1 }
                """)).contains("models.\"gpt-4o\".context is not a model metadata field; known: display_name, context_window");
    }
}
