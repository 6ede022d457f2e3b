package dev.switchboard.provider;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class HumanUnitsTest {

    @Test
    void durationsReadLikeTheConfig() {
        assertThat(HumanUnits.duration(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(HumanUnits.duration(Duration.ofSeconds(5))).isEqualTo("5s");
        assertThat(HumanUnits.duration(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(HumanUnits.duration(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(HumanUnits.duration(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(HumanUnits.duration(Duration.ofHours(1))).isEqualTo("1h");
    }

    @Test
    void sizesUseTheLargestExactUnit() {
        assertThat(HumanUnits.bytes(16L * 1024 * 1024)).isEqualTo("16 MB");
        assertThat(HumanUnits.bytes(64 * 1024)).isEqualTo("64 KB");
        assertThat(HumanUnits.bytes(1000)).isEqualTo("1000 bytes");
    }
}
