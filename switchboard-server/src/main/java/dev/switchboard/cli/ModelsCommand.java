package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.store.JsonMapper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;

/** Lists the catalog as the server serves it at {@code /v1/models}. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List the models in the catalog.")
final class ModelsCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Mixin
    ServerOption server;
    @Option(names = {"-p", "--provider"}, paramLabel = "ID", description = "Only this provider's models.")
    String provider;
    @Option(names = "--json", description = "Print the /v1/models answer as JSON.")
    boolean json;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ObjectMapper mapper = JsonMapper.create();
        String path = "/v1/models" + (provider == null ? "" : "?provider=" + URLEncoder.encode(provider, StandardCharsets.UTF_8));
        JsonNode list = server.target(config.load()).call(mapper, "GET", path, Duration.ofSeconds(60));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(list));
        } else {
            out.printf("%-56s %-8s %s%n", "ID", "STATUS", "OWNED BY");
            for (JsonNode model : list.path("data")) {
                out.printf("%-56s %-8s %s%n", model.path("id").asText(), model.path("switchboard").path("status").asText(),
                        model.path("owned_by").asText());
            }
            out.println(list.path("data").size() + " models");
        }
        out.flush();
        return 0;
    }
}
