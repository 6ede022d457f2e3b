package dev.switchboard.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The optional {@code [nats]} section: read, defaulted, overridden from the environment, and checked at load. */
class NatsConfigTest extends TomlFileTestSupport {

    @Test
    void withoutTheSectionThereIsNoBridge() {
        assertThat(load("[server]\nport = 8080\n").nats()).isEmpty();
        assertThat(load("[nats]\n").nats()).as("an empty section configures nothing").isEmpty();
    }

    @Test
    void aUrlAloneGivesTheDefaults() {
        NatsConfig nats = load("[nats]\nurl = \"nats://127.0.0.1:4222\"\n").nats().orElseThrow();

        assertThat(nats).isEqualTo(new NatsConfig(List.of("nats://127.0.0.1:4222"), "switchboard", "SWITCHBOARD_EVENTS",
                Duration.ofMinutes(2), "", Secret.NONE, Secret.NONE, Optional.empty()));
    }

    @Test
    void everyKeyIsRead() {
        NatsConfig nats = load("""
                [nats]
                url = "nats://a:4222, tls://b:4443"
                subject_prefix = "acme.switchboard"
                stream = "ACME_SB"
                duplicate_window = "10m"
                user = "sb"
                password = "${env:NATS_PASSWORD}"
                """, Map.of("NATS_PASSWORD", "hunter2")).nats().orElseThrow();

        assertThat(nats.servers()).containsExactly("nats://a:4222", "tls://b:4443");
        assertThat(nats.subjectPrefix()).isEqualTo("acme.switchboard");
        assertThat(nats.stream()).isEqualTo("ACME_SB");
        assertThat(nats.duplicateWindow()).isEqualTo(Duration.ofMinutes(10));
        assertThat(nats.user()).isEqualTo("sb");
        assertThat(nats.password()).isEqualTo(new Secret("hunter2", "${env:NATS_PASSWORD}"));
    }

    @Test
    void theDefaultStreamFollowsThePrefixSoTwoPrefixesNeverShareOne() {
        NatsConfig nats = load("[nats]\nurl = \"nats://h:4222\"\nsubject_prefix = \"acme.sb-1\"\n").nats().orElseThrow();

        assertThat(nats.stream()).isEqualTo("ACME_SB-1_EVENTS");
    }

    @Test
    void environmentVariablesSetEveryKeyAndATokenStaysSecret() {
        NatsConfig nats = load("", Map.of("SWITCHBOARD_NATS_URL", "nats://broker:4222",
                "SWITCHBOARD_NATS_SUBJECT_PREFIX", "agents", "SWITCHBOARD_NATS_TOKEN", "s3cr3t")).nats().orElseThrow();

        assertThat(nats.servers()).containsExactly("nats://broker:4222");
        assertThat(nats.subjectPrefix()).isEqualTo("agents");
        assertThat(nats.stream()).isEqualTo("AGENTS_EVENTS");
        assertThat(nats.token()).isEqualTo(new Secret("s3cr3t", "${env:SWITCHBOARD_NATS_TOKEN}"));
    }

    @Test
    void aCredsFileIsReadAtLoad() throws Exception {
        Path creds = Files.writeString(dir.resolve("sb.creds"), "-----BEGIN NATS USER JWT-----\n");
        NatsConfig nats = load("[nats]\nurl = \"nats://h:4222\"\ncreds_file = \"" + creds + "\"\n").nats().orElseThrow();

        assertThat(nats.credsFile()).contains(creds);
        assertThat(loadError("[nats]\nurl = \"nats://h:4222\"\ncreds_file = \"/nowhere/sb.creds\"\n"))
                .isEqualTo(at(3) + "[nats] creds_file cannot be read: \"/nowhere/sb.creds\" (a .creds file, as `nsc generate creds` writes)");
    }

    @Test
    void theSectionWithoutAUrlIsAnError() {
        assertThat(loadError("[nats]\nsubject_prefix = \"sb\"\n"))
                .isEqualTo(at(2) + "[nats] url is required when [nats] is present, e.g. url = \"nats://127.0.0.1:4222\""
                        + " (or SWITCHBOARD_NATS_URL)");
    }

    @Test
    void aUrlThatIsNotABrokersIsAnErrorWithoutItsPassword() {
        assertThat(loadError("[nats]\nurl = \"http://sb:hunter2@h:4222\"\n"))
                .isEqualTo(at(2) + "[nats] url must be a broker URL such as \"nats://127.0.0.1:4222\""
                        + " (nats://, tls://, ws:// or wss://), got \"http://sb:***@h:4222\"");
    }

    @Test
    void aSubjectPrefixWithAWildcardIsAnError() {
        assertThat(loadError("[nats]\nurl = \"nats://h:4222\"\nsubject_prefix = \"sb.>\"\n"))
                .isEqualTo(at(3) + "[nats] subject_prefix must be subject tokens of letters, digits, \"_\" or \"-\" separated"
                        + " by dots, without wildcards, e.g. \"switchboard\" or \"acme.switchboard\", got \"sb.>\"");
    }

    @Test
    void aStreamNameWithADotIsAnError() {
        assertThat(loadError("[nats]\nurl = \"nats://h:4222\"\nstream = \"sb.events\"\n"))
                .isEqualTo(at(3) + "[nats] stream must be letters, digits, \"_\" or \"-\" (no dots, spaces or wildcards),"
                        + " e.g. \"SWITCHBOARD_EVENTS\", got \"sb.events\"");
    }

    @Test
    void twoWaysToAuthenticateAreAnError() {
        assertThat(loadError("[nats]\nurl = \"nats://h:4222\"\nuser = \"sb\"\npassword = \"pw\"\ntoken = \"t\"\n"))
                .isEqualTo(at(5) + "[nats] token cannot be combined with another way to authenticate: set user and"
                        + " password, or token, or creds_file");
    }

    @Test
    void aUserWithoutPasswordIsAnError() {
        assertThat(loadError("[nats]\nurl = \"nats://h:4222\"\nuser = \"sb\"\n"))
                .isEqualTo(at(3) + "[nats] user needs password (e.g. password = \"${env:NATS_PASSWORD}\")");
    }

    @Test
    void anUnknownKeyNamesTheKnownOnes() {
        assertThat(loadError("[nats]\nurl = \"nats://h:4222\"\nprefix = \"sb\"\n"))
                .isEqualTo(at(3) + "unknown key \"prefix\" in [nats]; known keys: url, subject_prefix, stream,"
                        + " duplicate_window, user, password, token, creds_file");
    }

    @Test
    void theSummaryShowsTheSectionWithoutItsCredentials() {
        String summary = ConfigSummary.render(load("""
                [nats]
                url = "nats://sb:hunter2@h:4222"
                token = "${env:NATS_TOKEN}"
                """, Map.of("NATS_TOKEN", "tok-123456")));

        assertThat(summary).contains("[nats]\nurl = \"nats://sb:***@h:4222\"\nsubject_prefix = \"switchboard\"\n"
                + "stream = \"SWITCHBOARD_EVENTS\"\nduplicate_window = \"2m\"\ntoken = \"${env:NATS_TOKEN}\"\n");
        assertThat(summary).doesNotContain("hunter2").doesNotContain("tok-123456");
    }
}
