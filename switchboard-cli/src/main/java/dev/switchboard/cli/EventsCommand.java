package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** Tails the change feed, one line per event; {@code --no-follow} prints what is logged after --since and exits. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Tail the change feed: one line per event. Reconnects and resumes after a drop; stop with Ctrl-C.")
final class EventsCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Mixin
    ServerOption server;
    @Option(names = "--since", paramLabel = "REVISION", description = "Start with the events after this revision. Default: new events only; with --no-follow, every event kept.")
    Long since;
    @Option(names = "--types", paramLabel = "TYPE", split = ",", description = "Only these event types; a prefix ends with .* (provider.*).")
    List<String> types = List.of();
    @Option(names = "--providers", paramLabel = "ID", split = ",", description = "Only events about these providers.")
    List<String> providers = List.of();
    @Option(names = "--aliases", paramLabel = "ALIAS", split = ",", description = "Only events about these model configurations.")
    List<String> aliases = List.of();
    @Option(names = "--json", description = "Print each event's envelope as one line of JSON.")
    boolean json;
    @Option(names = "--follow", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Keep following new events (default). --no-follow exits once the logged events are printed.")
    boolean follow;
    @Option(names = "--max-events", paramLabel = "N", description = "Exit after printing N events.")
    long maxEvents = Long.MAX_VALUE;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (since != null && since < 0) throw new IllegalArgumentException("--since must be 0 or more, got " + since);
        ServerOption.Target target = server.target(config.load());
        ObjectMapper mapper = new ObjectMapper();
        PrintWriter out = spec.commandLine().getOut();
        Consumer<JsonNode> print = envelope -> {
            out.println(json ? envelope.toString() : EventLine.format(envelope));
            out.flush();
        };
        if (follow) {
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build()) {
                new FeedTail(client, target, "/api/v1/events" + filters("?"), mapper, since, maxEvents, print).run();
            }
        } else {
            printLogged(target, mapper, print);
        }
        return 0;
    }

    /** Long polls without waiting, page after page, until nothing is left. */
    private void printLogged(ServerOption.Target target, ObjectMapper mapper, Consumer<JsonNode> print) throws Exception {
        long after = since == null ? 0 : since;
        long printed = 0;
        while (printed < maxEvents) {
            JsonNode page = target.call(mapper, "GET", "/api/v1/events?since=" + after + filters("&"), Duration.ofSeconds(60));
            if (page.isEmpty()) return;
            for (JsonNode envelope : page) {
                print.accept(envelope);
                after = envelope.path("revision").asLong();
                if (++printed >= maxEvents) return;
            }
        }
    }

    private String filters(String first) {
        List<String> params = new ArrayList<>();
        if (!types.isEmpty()) params.add("types=" + encode(types));
        if (!providers.isEmpty()) params.add("providers=" + encode(providers));
        if (!aliases.isEmpty()) params.add("aliases=" + encode(aliases));
        return params.isEmpty() ? "" : first + String.join("&", params);
    }

    private static String encode(List<String> values) {
        return URLEncoder.encode(String.join(",", values), StandardCharsets.UTF_8);
    }
}
