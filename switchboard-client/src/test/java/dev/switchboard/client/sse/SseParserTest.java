package dev.switchboard.client.sse;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules of the HTML standard's "interpreting an event stream" that the feed's readers rely on. */
class SseParserTest {
    private final SseParser parser = new SseParser();

    private List<SseEvent> feed(String... lines) {
        List<SseEvent> events = new ArrayList<>();
        for (String line : lines) parser.line(line).ifPresent(events::add);
        return events;
    }

    @Test
    void a_blank_line_dispatches_the_fields_before_it() {
        assertThat(feed("id: 7", "event: model_config.updated", "data: {\"revision\":7}", ""))
                .containsExactly(new SseEvent("7", "model_config.updated", "{\"revision\":7}"));
    }

    @Test
    void data_lines_join_with_newlines() {
        assertThat(feed("data: one", "data:two", "data:  three", "")).containsExactly(new SseEvent(null, "message", "one\ntwo\n three"));
    }

    @Test
    void an_event_without_data_is_not_dispatched() {
        assertThat(feed("event: ping", "", "id: 3", "")).isEmpty();
        assertThat(parser.lastId()).contains("3");
    }

    @Test
    void the_last_id_carries_over_to_later_events() {
        assertThat(feed("id: 1", "data: a", "", "data: b", "")).extracting(SseEvent::id).containsExactly("1", "1");
    }

    @Test
    void the_type_does_not_carry_over_and_an_empty_one_is_message() {
        assertThat(feed("event: x", "data: a", "", "data: b", "", "event:", "data: c", ""))
                .extracting(SseEvent::type).containsExactly("x", "message", "message");
    }

    @Test
    void comments_retry_and_unknown_fields_are_ignored() {
        assertThat(feed(": ping", "retry: 1000", "colour: blue", "data", "")).containsExactly(new SseEvent(null, "message", ""));
    }

    @Test
    void an_id_with_nul_is_ignored() {
        assertThat(feed("id: 5", "id: 6\0", "data: a", "")).extracting(SseEvent::id).containsExactly("5");
    }
}
