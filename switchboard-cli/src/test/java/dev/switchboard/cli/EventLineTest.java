package dev.switchboard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The human line of each event type names what changed, not the raw payload. */
class EventLineTest {
    private static String line(String envelope) throws Exception {
        return EventLine.format(new ObjectMapper().readTree(envelope));
    }

    @Test
    void modelConfigAndProviderEventsReadAsSentences() throws Exception {
        assertThat(line("""
                {"revision":7,"type":"model_config.updated","time":"t","data":{"alias":"planner","version":3,
                 "config":{"target":"openai/gpt-5","target_status":"ok"},"changed":["model","params"]}}"""))
                .isEqualTo("r7  t  model_config.updated  planner v3 -> openai/gpt-5 (ok) changed: model, params");
        assertThat(line("""
                {"revision":8,"type":"model_config.deleted","time":"t","data":{"alias":"planner","version":4,"config":null,"changed":[]}}"""))
                .isEqualTo("r8  t  model_config.deleted  planner v4 deleted");
        assertThat(line("""
                {"revision":9,"type":"provider.updated","time":"t","data":{"provider_id":"acme","changed":["api_key"]}}"""))
                .isEqualTo("r9  t  provider.updated  acme changed: api_key");
    }
}
