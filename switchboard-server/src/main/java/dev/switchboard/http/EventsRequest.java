package dev.switchboard.http;

import dev.switchboard.Problem;

import dev.switchboard.config.Durations;
import dev.switchboard.events.EventFilter;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a {@code GET /api/v1/events} asks for.
 *
 * @param since    resume after this revision ({@code Last-Event-ID} wins over {@code ?since=}, since a browser
 *                 reconnecting sends both); empty for live events only
 * @param longPoll answer once with a JSON array instead of streaming Server-Sent Events
 * @param longPollWait how long a long poll waits for a first event
 */
record EventsRequest(OptionalLong since, EventFilter filter, boolean longPoll, Duration longPollWait) {
    static final String LAST_EVENT_ID = "Last-Event-ID";
    /** Beyond a minute, proxies and load balancers start closing idle requests. */
    static final Duration MAX_WAIT = Duration.ofSeconds(60);

    static EventsRequest parse(RoutingContext ctx) {
        OptionalLong since = revision(LAST_EVENT_ID, ctx.request().getHeader(LAST_EVENT_ID));
        if (since.isEmpty()) since = revision("since", ctx.queryParams().get("since"));
        EventFilter filter = new EventFilter(set(ctx, "types"), set(ctx, "providers"), set(ctx, "aliases"));
        return new EventsRequest(since, filter, wantsJson(ctx.request().getHeader(HttpHeaders.ACCEPT)),
                waitParam(ctx.queryParams().get("wait")));
    }

    /** A long poll when the client asks for JSON rather than an event stream; curl's default {@code *}{@code /*} streams. */
    private static boolean wantsJson(String accept) {
        return accept != null && accept.contains("application/json") && !accept.contains("text/event-stream");
    }

    private static OptionalLong revision(String name, String value) {
        if (value == null || value.isEmpty()) return OptionalLong.empty();
        if (!value.strip().matches("\\d{1,18}")) {
            throw new Problem.Invalid(name + " must be a revision (a whole number, 0 or more), got \"" + value + "\"", java.util.Map.of());
        }
        return OptionalLong.of(Long.parseLong(value.strip()));
    }

    private static Duration waitParam(String value) {
        if (value == null || value.isEmpty()) return Duration.ZERO;
        Duration wait;
        try {
            wait = Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new Problem.Invalid("wait " + e.getMessage(), java.util.Map.of());
        }
        if (wait.compareTo(MAX_WAIT) > 0) {
            throw new Problem.Invalid("wait must be at most " + Durations.format(MAX_WAIT) + ", got \"" + value + "\"", java.util.Map.of());
        }
        return wait;
    }

    private static Set<String> set(RoutingContext ctx, String name) {
        List<String> values = ctx.queryParam(name);
        Set<String> set = QueryParams.csv(values);
        return set == null ? Set.of() : set;
    }
}
