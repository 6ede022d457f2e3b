package dev.switchboard.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** "${env:NAME}" in a string value takes the variable's value; a variable that is not set stops the start. */
class EnvReferencesTest extends TomlFileTestSupport {

    private static final String OPENAI = """
            [[providers]]
            id = "openai"
            kind = "openai"
            base_url = "https://api.openai.com/v1"
            api_key = "${env:OPENAI_API_KEY}"
            """;

    @Test
    void anApiKeyReferenceIsExpandedAndKeepsItsReference() {
        Secret key = load(OPENAI, Map.of("OPENAI_API_KEY", "sk-live")).providers().getFirst().apiKey();

        assertThat(key).isEqualTo(new Secret("sk-live", "${env:OPENAI_API_KEY}"));
        assertThat(key.toString()).isEqualTo("${env:OPENAI_API_KEY}");
    }

    @Test
    void aMissingVariableNamesTheKeyFileLineAndVariable() {
        assertThat(loadError(OPENAI)).isEqualTo(
                at(5) + "[[providers]] api_key refers to environment variable OPENAI_API_KEY, which is not set");
    }

    @Test
    void aMissingVariableInASectionNamesItsSection() {
        assertThat(loadError("[store]\n\npassword = \"${env:DB_PASSWORD}\"\n")).isEqualTo(
                at(3) + "[store] password refers to environment variable DB_PASSWORD, which is not set");
    }

    @Test
    void aReferenceInsideALongerStringIsExpanded() {
        ProviderConfig provider = load("""
                [[providers]]
                id = "corp"
                kind = "openai"
                base_url = "https://${env:LLM_HOST}/v1"
                headers = { Authorization = "Bearer ${env:TOKEN}" }
                """, Map.of("LLM_HOST", "llm.corp.example", "TOKEN", "t0k")).providers().getFirst();

        assertThat(provider.baseUrl()).hasToString("https://llm.corp.example/v1");
        assertThat(provider.headers()).containsEntry("Authorization", "Bearer t0k");
    }

    @Test
    void aReferenceInANumericValueIsExpandedBeforeConversion() {
        assertThat(load("[server]\nport = \"${env:PORT}\"\n", Map.of("PORT", "9100")).server().port()).isEqualTo(9100);
    }

    @Test
    void aReferenceInAnArrayIsExpanded() {
        ProviderConfig provider = load("""
                [[providers]]
                id = "local"
                kind = "static"
                models = ["${env:MODEL}", "other"]
                """, Map.of("MODEL", "llama-3.1-8b-instruct")).providers().getFirst();

        assertThat(provider.staticModels()).containsExactly("llama-3.1-8b-instruct", "other");
    }

    @Test
    void aDoubledDollarWritesALiteralReference() {
        assertThat(load("[store]\npassword = \"pa$${ss}\"\n").store().password().value()).isEqualTo("pa${ss}");
    }

    @Test
    void aLiteralPasswordIsMaskedWhenPrinted() {
        Secret password = load("[store]\npassword = \"hunter2\"\n").store().password();

        assertThat(password).isEqualTo(Secret.literal("hunter2"));
        assertThat(password.toString()).isEqualTo("***");
    }

    @Test
    void aReferenceWithoutEnvPrefixIsAnErrorSuggestingTheRightForm() {
        assertThat(loadError("[store]\nuser = \"${DB_USER}\"\n")).isEqualTo(at(2) + "[store] user has an unsupported"
                + " reference; only ${env:NAME} is supported: write ${env:DB_USER}, or $${ for a literal \"${\"");
    }

    @Test
    void anUnclosedReferenceIsAnError() {
        assertThat(loadError("[store]\nuser = \"${env:DB_USER\"\n")).isEqualTo(at(2) + "[store] user has a \"${\""
                + " without its closing \"}\"; write ${env:NAME}, or $${ for a literal \"${\"");
    }

    @Test
    void aMissingVariableInAHeaderNamesTheHeader() {
        assertThat(loadError("""
                [[providers]]
                id = "corp"
                kind = "openai"
                base_url = "https://llm.corp.example/v1"
                headers = { "X-Token" = "${env:CORP_TOKEN}" }
                """)).isEqualTo(at(5) + "[[providers]] headers.X-Token refers to environment variable CORP_TOKEN,"
                + " which is not set");
    }
}
