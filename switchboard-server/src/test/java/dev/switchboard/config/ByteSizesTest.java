package dev.switchboard.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteSizesTest {

    /** Units are 1024-based, binary unit names mean the same, case is ignored, a space may come before the unit. */
    @ParameterizedTest(name = "{0} is {1} bytes")
    @CsvSource({
            "100B, 100", "512KB, 524288", "16MB, 16777216", "1GB, 1073741824",
            "512KiB, 524288", "16MiB, 16777216", "1GiB, 1073741824",
            "16mb, 16777216", "16 MB, 16777216"})
    void isRead(String text, long bytes) {
        assertThat(ByteSizes.parse(text)).isEqualTo(bytes);
    }

    @Test
    void aPlainNumberIsBytes() {
        assertThat(ByteSizes.parse("1048576")).isEqualTo(1_048_576);
    }

    @Test
    void anUnknownUnitIsRejectedNamingTheAcceptedForms() {
        assertThatThrownBy(() -> ByteSizes.parse("16 megs"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("must be a size such as \"100B\", \"512KB\", \"16MB\" or \"1GB\" (1024-based; KiB, MiB"
                        + " and GiB also accepted) or a whole number of bytes, got \"16 megs\"");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"1.5MB", "-1"})
    void fractionsAndNegativesAreRejected(String text) {
        assertThatThrownBy(() -> ByteSizes.parse(text)).hasMessageStartingWith("must be a size");
    }

    @Test
    void aSizeBeyondALongIsRejected() {
        assertThatThrownBy(() -> ByteSizes.parse("9999999999TB")).hasMessageStartingWith("is too large");
    }

    @ParameterizedTest(name = "{0} bytes is written {1}")
    @CsvSource({"16777216, 16MB", "1572864, 1536KB", "100, 100B"})
    void formatUsesTheLargestExactUnit(long bytes, String text) {
        assertThat(ByteSizes.format(bytes)).isEqualTo(text);
    }
}
