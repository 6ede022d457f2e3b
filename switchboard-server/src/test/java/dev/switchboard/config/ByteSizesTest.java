package dev.switchboard.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteSizesTest {

    @Test
    void unitsAre1024Based() {
        assertThat(ByteSizes.parse("100B")).isEqualTo(100);
        assertThat(ByteSizes.parse("512KB")).isEqualTo(512L * 1024);
        assertThat(ByteSizes.parse("16MB")).isEqualTo(16L * 1024 * 1024);
        assertThat(ByteSizes.parse("1GB")).isEqualTo(1024L * 1024 * 1024);
    }

    @Test
    void binaryUnitNamesMeanTheSame() {
        assertThat(ByteSizes.parse("512KiB")).isEqualTo(ByteSizes.parse("512KB"));
        assertThat(ByteSizes.parse("16MiB")).isEqualTo(ByteSizes.parse("16MB"));
        assertThat(ByteSizes.parse("1GiB")).isEqualTo(ByteSizes.parse("1GB"));
    }

    @Test
    void aPlainNumberIsBytes() {
        assertThat(ByteSizes.parse("1048576")).isEqualTo(1_048_576);
    }

    @Test
    void unitsIgnoreCaseAndMayFollowASpace() {
        assertThat(ByteSizes.parse("16mb")).isEqualTo(16L * 1024 * 1024);
        assertThat(ByteSizes.parse("16 MB")).isEqualTo(16L * 1024 * 1024);
    }

    @Test
    void anUnknownUnitIsRejectedNamingTheAcceptedForms() {
        assertThatThrownBy(() -> ByteSizes.parse("16 megs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("must be a size such as \"100B\", \"512KB\", \"16MB\" or \"1GB\" (1024-based; KiB, MiB"
                        + " and GiB also accepted) or a whole number of bytes, got \"16 megs\"");
    }

    @Test
    void fractionsAndNegativesAreRejected() {
        assertThatThrownBy(() -> ByteSizes.parse("1.5MB")).hasMessageStartingWith("must be a size");
        assertThatThrownBy(() -> ByteSizes.parse("-1")).hasMessageStartingWith("must be a size");
    }

    @Test
    void aSizeBeyondALongIsRejected() {
        assertThatThrownBy(() -> ByteSizes.parse("9999999999TB")).hasMessageStartingWith("is too large");
    }

    @Test
    void formatUsesTheLargestExactUnit() {
        assertThat(ByteSizes.format(16L * 1024 * 1024)).isEqualTo("16MB");
        assertThat(ByteSizes.format(1536 * 1024)).isEqualTo("1536KB");
        assertThat(ByteSizes.format(100)).isEqualTo("100B");
    }
}
