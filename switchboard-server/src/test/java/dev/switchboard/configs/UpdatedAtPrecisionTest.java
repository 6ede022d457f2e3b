package dev.switchboard.configs;

import dev.switchboard.SseClient;
import dev.switchboard.Switchboard;
import dev.switchboard.TestConfigs;
import dev.switchboard.TestHttp;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.config.ProviderKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code updated_at} has one precision everywhere: the write's answer, the live event, and what is read back
 * after a restart (the databases keep microseconds) are the same instant, even from a clock with nanoseconds.
 */
class UpdatedAtPrecisionTest {
    @TempDir
    Path dir;

    /** The system time with a nanosecond part, as a fine-grained clock gives it. */
    static final Clock NANOSECOND_CLOCK = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().truncatedTo(ChronoUnit.MICROS).plusNanos(789);
        }
    };

    @Test
    void theWriteAnswerTheLiveEventAndTheStoreAfterARestartAgreeOnUpdatedAt() {
        SwitchboardConfig config = TestConfigs.embedded(dir, List.of(
                ProviderConfig.of("p", ProviderKind.STATIC, null).withStaticModels(List.of("m"))));
        String answered;
        String live;
        try (Switchboard first = new Switchboard(config, NANOSECOND_CLOCK, Map.of()).serve();
             TestHttp http = new TestHttp(first.port());
             SseClient feed = SseClient.connect(first.port(), "/api/v1/events?since=0")) {
            TestHttp.Response written = http.json("PUT", "/api/v1/model-configs/planner?validate=false",
                    "{\"provider\":\"p\",\"model\":\"m\"}");
            assertThat(written.status()).as(written.text()).isEqualTo(201);
            answered = written.json().path("updated_at").asText();
            live = feed.next().json().findValue("updated_at").asText();
        }
        assertThat(Instant.parse(answered).getNano() % 1_000).as(answered).isZero();
        assertThat(live).isEqualTo(answered);

        try (Switchboard second = new Switchboard(config, NANOSECOND_CLOCK, Map.of()).serve();
             TestHttp http = new TestHttp(second.port())) {
            assertThat(http.get("/api/v1/model-configs/planner").json().path("updated_at").asText()).isEqualTo(answered);
            assertThat(http.get("/api/v1/model-configs/planner/history").json().findValue("updated_at").asText()).isEqualTo(answered);
        }
    }
}
