package dev.switchboard.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    /** Each unit alone, units combined largest first, and zero, which needs no unit. */
    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
            "250ms, PT0.25S", "30s, PT30S", "10m, PT10M", "6h, PT6H", "1d, P1D",
            "1h30m, PT90M", "1d2h3m4s5ms, P1DT2H3M4.005S",
            "0, PT0S", "0s, PT0S"})
    void isRead(String text, Duration expected) {
        assertThat(Durations.parse(text)).isEqualTo(expected);
    }

    @Test
    void surroundingSpacesAreIgnored() {
        assertThat(Durations.parse(" 30s ")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aNumberWithoutUnitIsRejectedNamingTheAcceptedForms() {
        assertThatThrownBy(() -> Durations.parse("30"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("must be a duration such as \"250ms\", \"30s\", \"10m\", \"6h\", \"1d\" or \"1h30m\","
                        + " got \"30\"");
    }

    @Test
    void unitsOutOfOrderOrRepeatedAreRejected() {
        assertThatThrownBy(() -> Durations.parse("30m1h")).hasMessageContaining("got \"30m1h\"");
        assertThatThrownBy(() -> Durations.parse("1h1h")).hasMessageContaining("got \"1h1h\"");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"10 minutes", "1.5h", "-5s", "30S", "", "h"})
    void wordsFractionsNegativesAndUpperCaseAreRejected(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).hasMessageStartingWith("must be a duration");
    }

    @Test
    void anAmountTooLargeForADurationIsRejected() {
        assertThatThrownBy(() -> Durations.parse("99999999999999999999d")).hasMessageStartingWith("is too large");
    }

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({"PT90M, 1h30m", "PT0.25S, 250ms", "P1D, 1d", "PT0S, 0"})
    void formatWritesTheShortestForm(Duration duration, String text) {
        assertThat(Durations.format(duration)).isEqualTo(text);
    }

    @Test
    void formatWritesAFormThatParsesBack() {
        assertThat(Durations.parse(Durations.format(Duration.parse("P2DT3H4M5.006S"))))
                .isEqualTo(Duration.parse("P2DT3H4M5.006S"));
    }
}
