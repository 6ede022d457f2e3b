package dev.switchboard.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {

    @Test
    void eachUnitIsRead() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("6h")).isEqualTo(Duration.ofHours(6));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void unitsCombineLargestFirst() {
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("1d2h3m4s5ms")).isEqualTo(Duration.parse("P1DT2H3M4.005S"));
    }

    @Test
    void zeroNeedsNoUnit() {
        assertThat(Durations.parse("0")).isZero();
        assertThat(Durations.parse("0s")).isZero();
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

    @Test
    void wordsFractionsNegativesAndUpperCaseAreRejected() {
        for (String text : new String[]{"10 minutes", "1.5h", "-5s", "30S", "", "h"}) {
            assertThatThrownBy(() -> Durations.parse(text)).as(text).hasMessageStartingWith("must be a duration");
        }
    }

    @Test
    void anAmountTooLargeForADurationIsRejected() {
        assertThatThrownBy(() -> Durations.parse("99999999999999999999d")).hasMessageStartingWith("is too large");
    }

    @Test
    void formatWritesTheShortestFormThatParsesBack() {
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Durations.format(Duration.ofDays(1))).isEqualTo("1d");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0");
        assertThat(Durations.parse(Durations.format(Duration.parse("P2DT3H4M5.006S"))))
                .isEqualTo(Duration.parse("P2DT3H4M5.006S"));
    }
}
