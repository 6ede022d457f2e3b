package dev.switchboard.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A value of the wrong type or out of range is reported with its file, line, section and what is expected. */
class ConfigValuesTest extends TomlFileTestSupport {

    @Test
    void aPortThatIsNotANumberIsRejected() {
        String message = loadError("""
                [server]
                host = "127.0.0.1"
                port = "80a"
                """);

        assertThat(message).isEqualTo(at(3) + "[server] port must be an integer from 0 to 65535, got \"80a\"");
    }

    @Test
    void aPortOutOfRangeIsRejected() {
        assertThat(loadError("[server]\nport = 70000\n"))
                .isEqualTo(at(2) + "[server] port must be an integer from 0 to 65535, got 70000");
    }

    @Test
    void anEmptyHostIsRejected() {
        assertThat(loadError("[server]\nhost = \" \"\n")).isEqualTo(at(2) + "[server] host must not be empty");
    }

    @Test
    void aBodySizeWithAnUnknownUnitIsRejectedNamingTheAcceptedForms() {
        assertThat(loadError("[server]\nmax_body_size = \"2 megs\"\n"))
                .isEqualTo(at(2) + "[server] max_body_size must be " + ByteSizes.EXPECTED + ", got \"2 megs\"");
    }

    @Test
    void aSizeOfZeroIsRejected() {
        assertThat(loadError("[model_catalog]\nmax_response_bytes = 0\n"))
                .isEqualTo(at(2) + "[model_catalog] max_response_bytes must be larger than 0, got 0");
    }

    @Test
    void aStoreUrlOtherThanH2OrPostgresIsRejected() {
        assertThat(loadError("[store]\nurl = \"jdbc:mysql://db/x\"\n"))
                .isEqualTo(at(2) + "[store] url must be an H2 or PostgreSQL JDBC URL such as"
                        + " \"jdbc:h2:file:./data/switchboard\" or \"jdbc:postgresql://db:5432/switchboard\","
                        + " got \"jdbc:mysql://db/x\"");
    }

    @Test
    void aPoolSizeOfZeroIsRejected() {
        assertThat(loadError("[store]\npool_size = 0\n"))
                .isEqualTo(at(2) + "[store] pool_size must be an integer from 1 to 1000, got 0");
    }

    @Test
    void aWriteTimeoutOutsideItsRangeIsRejected() {
        assertThat(loadError("[store]\nwrite_timeout = \"100ms\"\n"))
                .isEqualTo(at(2) + "[store] write_timeout must be from 250ms to 5m, got \"100ms\"");
        assertThat(loadError("[store]\nwrite_timeout = \"1h\"\n"))
                .isEqualTo(at(2) + "[store] write_timeout must be from 250ms to 5m, got \"1h\"");
    }

    @Test
    void aStringWhereAStringIsNotExpectedIsRejectedByItsKind() {
        assertThat(loadError("[store]\nuser = 42\n")).isEqualTo(at(2) + "[store] user must be a string, got 42");
    }

    @Test
    void aPasswordOfTheWrongTypeIsRejectedWithoutShowingIt() {
        assertThat(loadError("[store]\npassword = 123456\n")).isEqualTo(at(2) + "[store] password must be a string");
    }

    @Test
    void aBooleanMustBeTrueOrFalse() {
        assertThat(loadError("[model_catalog]\nrefresh_on_start = \"yes\"\n"))
                .isEqualTo(at(2) + "[model_catalog] refresh_on_start must be true or false, got \"yes\"");
    }

    @Test
    void aDurationWithoutAUnitIsRejectedNamingTheAcceptedForms() {
        assertThat(loadError("[model_catalog]\nrefresh_interval = 30\n"))
                .isEqualTo(at(2) + "[model_catalog] refresh_interval must be a duration such as \"250ms\", \"30s\","
                        + " \"10m\", \"6h\", \"1d\" or \"1h30m\", got 30");
    }

    @Test
    void jitterMustBeFromZeroToOne() {
        assertThat(loadError("[model_catalog]\njitter = 1.5\n"))
                .isEqualTo(at(2) + "[model_catalog] jitter must be a number from 0 to 1, got 1.5");
    }

    @Test
    void shrinkGuardMustBeFromZeroToOne() {
        assertThat(loadError("[model_catalog]\nshrink_guard = -0.1\n"))
                .isEqualTo(at(2) + "[model_catalog] shrink_guard must be a number from 0 to 1, got -0.1");
    }

    @Test
    void fetchTimeoutMustBeLongerThanZero() {
        assertThat(loadError("[model_catalog]\nfetch_timeout = \"0s\"\n"))
                .isEqualTo(at(2) + "[model_catalog] fetch_timeout must be longer than 0, got \"0s\"");
    }

    @Test
    void maxBackoffMustBeLongerThanZero() {
        assertThat(loadError("[model_catalog]\nmax_backoff = 0\n"))
                .isEqualTo(at(2) + "[model_catalog] max_backoff must be longer than 0, got 0");
    }

    @Test
    void aLeaderLeaseShorterThanASecondIsRefused() {
        assertThat(loadError("[model_catalog]\nleader_lease = \"500ms\"\n"))
                .isEqualTo(at(2) + "[model_catalog] leader_lease must be at least 1s, got 500ms");
    }

    @Test
    void maxModelsMustBePositive() {
        assertThat(loadError("[model_catalog]\nmax_models = 0\n"))
                .isEqualTo(at(2) + "[model_catalog] max_models must be a positive integer, got 0");
    }

    @Test
    void anEventRetentionWithoutAUnitIsRejected() {
        assertThat(loadError("[events]\nretention = 7\n"))
                .isEqualTo(at(2) + "[events] retention must be " + Durations.EXPECTED + ", got 7");
    }

    @Test
    void aNegativeMinimumOfEventsIsRejected() {
        assertThat(loadError("[events]\nmin_events = -1\n"))
                .isEqualTo(at(2) + "[events] min_events must be an integer from 0 to 2147483647, got -1");
    }

    @Test
    void concurrencyMustBeFrom1To256() {
        assertThat(loadError("[model_catalog]\nconcurrency = 257\n"))
                .isEqualTo(at(2) + "[model_catalog] concurrency must be an integer from 1 to 256, got 257");
    }

    @Test
    void aRefreshDeadlineShorterThanTheFetchTimeoutIsRejected() {
        assertThat(loadError("""
                [model_catalog]
                fetch_timeout = "30s"
                refresh_deadline = "10s"
                """)).isEqualTo(at(3) + "[model_catalog] refresh_deadline must be at least fetch_timeout (10s < 30s)");
    }

    @Test
    void aFetchTimeoutLongerThanTheDefaultDeadlineIsRejectedAtItsOwnLine() {
        assertThat(loadError("[model_catalog]\nfetch_timeout = \"2m\"\n"))
                .isEqualTo(at(2) + "[model_catalog] fetch_timeout must not exceed refresh_deadline, whose default"
                        + " is 1m; lower fetch_timeout or raise refresh_deadline");
    }

    @Test
    void aRefreshDeadlineEqualToTheFetchTimeoutIsAccepted() {
        assertThat(load("[model_catalog]\nfetch_timeout = \"1m\"\nrefresh_deadline = \"60s\"\n").catalog()
                .refreshDeadline()).hasMinutes(1);
    }

    @Test
    void everyBadValueIsReportedAtOnce() {
        String message = loadError("""
                [server]
                port = -1
                [model_catalog]
                jitter = 2
                """);

        assertThat(message).isEqualTo(
                at(2) + "[server] port must be an integer from 0 to 65535, got -1\n"
                        + at(4) + "[model_catalog] jitter must be a number from 0 to 1, got 2");
    }
}
