package dev.switchboard.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

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

    /** One line in one section, and what it is refused with (after the file, line and section). */
    static Stream<Arguments> badValues() {
        return Stream.of(
                arguments("server", "port = 70000", "port must be an integer from 0 to 65535, got 70000"),
                arguments("server", "host = \" \"", "host must not be empty"),
                // a size with an unknown unit names the accepted forms
                arguments("server", "max_body_size = \"2 megs\"", "max_body_size must be " + ByteSizes.EXPECTED + ", got \"2 megs\""),
                arguments("model_catalog", "max_response_bytes = 0", "max_response_bytes must be larger than 0, got 0"),
                arguments("store", "url = \"jdbc:mysql://db/x\"", "url must be an H2 or PostgreSQL JDBC URL such as"
                        + " \"jdbc:h2:file:./data/switchboard\" or \"jdbc:postgresql://db:5432/switchboard\","
                        + " got \"jdbc:mysql://db/x\""),
                arguments("store", "pool_size = 0", "pool_size must be an integer from 1 to 1000, got 0"),
                arguments("store", "write_timeout = \"100ms\"", "write_timeout must be from 250ms to 5m, got \"100ms\""),
                arguments("store", "write_timeout = \"1h\"", "write_timeout must be from 250ms to 5m, got \"1h\""),
                // a value of another kind is refused by the kind expected
                arguments("store", "user = 42", "user must be a string, got 42"),
                arguments("model_catalog", "refresh_on_start = \"yes\"", "refresh_on_start must be true or false, got \"yes\""),
                // a duration without a unit names the accepted forms
                arguments("model_catalog", "refresh_interval = 30", "refresh_interval must be a duration such as \"250ms\","
                        + " \"30s\", \"10m\", \"6h\", \"1d\" or \"1h30m\", got 30"),
                arguments("model_catalog", "jitter = 1.5", "jitter must be a number from 0 to 1, got 1.5"),
                arguments("model_catalog", "shrink_guard = -0.1", "shrink_guard must be a number from 0 to 1, got -0.1"),
                arguments("model_catalog", "fetch_timeout = \"0s\"", "fetch_timeout must be longer than 0, got \"0s\""),
                arguments("model_catalog", "max_backoff = 0", "max_backoff must be longer than 0, got 0"),
                arguments("model_catalog", "leader_lease = \"500ms\"", "leader_lease must be at least 1s, got 500ms"),
                arguments("model_catalog", "max_models = 0", "max_models must be a positive integer, got 0"),
                arguments("model_catalog", "concurrency = 257", "concurrency must be an integer from 1 to 256, got 257"),
                arguments("events", "retention = 7", "retention must be " + Durations.EXPECTED + ", got 7"),
                arguments("events", "min_events = -1", "min_events must be an integer from 0 to 2147483647, got -1"));
    }

    @ParameterizedTest(name = "[{0}] {1}")
    @MethodSource("badValues")
    void aBadValueIsRejectedAtItsLineWithWhatIsExpected(String section, String line, String message) {
        assertThat(loadError("[" + section + "]\n" + line + "\n")).isEqualTo(at(2) + "[" + section + "] " + message);
    }

    @Test
    void aPasswordOfTheWrongTypeIsRejectedWithoutShowingIt() {
        assertThat(loadError("[store]\npassword = 123456\n")).isEqualTo(at(2) + "[store] password must be a string");
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
