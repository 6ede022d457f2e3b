package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.Switchboard;
import dev.switchboard.catalog.RefreshProgress;
import dev.switchboard.catalog.RefreshResult;
import dev.switchboard.catalog.RefreshTrigger;
import dev.switchboard.config.ProviderConfig;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.store.JsonMapper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Refreshes providers through a running server, or with {@code --offline} straight on the store with the
 * same refresh code. Exit code 0 when every provider answered, 3 when some failed or were held as suspect.
 */
@Command(name = "refresh", mixinStandardHelpOptions = true, description = "Refresh providers' model lists now.")
final class RefreshCommand implements Callable<Integer> {
    static final int SOME_PROVIDERS_FAILED = 3;

    @Mixin
    ConfigOption config;
    @Mixin
    ServerOption server;
    @Option(names = {"-p", "--provider"}, paramLabel = "ID", description = "Refresh only this provider (repeatable). Default: all.")
    List<String> providers = List.of();
    @Option(names = "--force", description = "Apply answers the shrink guard would hold as suspect.")
    boolean force;
    @Option(names = "--offline", description = "Work on the store directly, without a running server (the server must be stopped when the store is an H2 file).")
    boolean offline;
    @Option(names = "--json", description = "Print the refresh result as JSON.")
    boolean json;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SwitchboardConfig loaded = config.load();
        ObjectMapper mapper = JsonMapper.create();
        for (String id : providers) {
            if (loaded.provider(id).isEmpty() && offline) {
                throw new IllegalArgumentException("no provider \"" + id + "\" in the configuration; known: "
                        + String.join(", ", loaded.providers().stream().map(ProviderConfig::id).toList()));
            }
        }
        JsonNode result = offline ? refreshOffline(loaded, mapper) : refreshOnline(loaded, mapper);
        PrintWriter out = spec.commandLine().getOut();
        if (json) out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        else RefreshReport.print(result, out);
        out.flush();
        return result.path("failed").isEmpty() && result.path("suspect").isEmpty() ? 0 : SOME_PROVIDERS_FAILED;
    }

    private JsonNode refreshOffline(SwitchboardConfig loaded, ObjectMapper mapper) {
        PrintWriter err = spec.commandLine().getErr();
        RefreshProgress progress = (id, done, total) -> {
            err.print("\rrefreshing: " + done + "/" + total + " providers fetched (last: " + id + ")   ");
            if (done == total) err.println();
            err.flush();
        };
        try (Switchboard switchboard = Switchboard.open(loaded)) {
            var coordinator = switchboard.coordinator();
            RefreshResult result = (providers.isEmpty()
                    ? coordinator.refreshAll(force, RefreshTrigger.MANUAL, progress)
                    : coordinator.refresh(providers, force, RefreshTrigger.MANUAL, progress)).join();
            return mapper.valueToTree(result);
        }
    }

    private JsonNode refreshOnline(SwitchboardConfig loaded, ObjectMapper mapper) throws Exception {
        var target = server.target(loaded);
        Duration timeout = loaded.catalog().refreshDeadline().plusSeconds(30);
        try (var ticker = new ProgressTicker(spec.commandLine().getErr(), "refreshing")) {
            if (providers.size() == 1) {
                return target.call(mapper, "POST", "/api/v1/providers/" + PathSegment.encode(providers.getFirst())
                        + ":refresh?force=" + force, timeout);
            }
            if (providers.isEmpty()) {
                return target.call(mapper, "POST", "/api/v1/providers:refresh?force=" + force, timeout);
            }
            // Several named providers: one call each, merged into one result.
            var merged = mapper.createObjectNode();
            for (String name : List.of("changed", "unchanged", "failed", "suspect")) merged.putArray(name);
            for (String id : providers) {
                JsonNode one = target.call(mapper, "POST", "/api/v1/providers/" + PathSegment.encode(id) + ":refresh?force=" + force, timeout);
                merged.put("revision", one.path("revision").asLong());
                for (String name : List.of("changed", "unchanged", "failed", "suspect")) merged.withArray(name).addAll((com.fasterxml.jackson.databind.node.ArrayNode) one.path(name));
            }
            return merged;
        }
    }
}
