package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Lists the catalog as the server serves it at {@code /v1/models}. */
@Command(name = "models", mixinStandardHelpOptions = true, description = "List the models in the catalog.")
final class ModelsCommand extends ApiCommand {
    @Option(names = {"-p", "--provider"}, paramLabel = "ID", description = "Only this provider's models.")
    String provider;

    @Override
    public Integer call() throws Exception {
        String path = "/v1/models" + (provider == null ? "" : "?provider=" + URLEncoder.encode(provider, StandardCharsets.UTF_8));
        JsonNode list = send("GET", path, null, Map.of());
        if (json) {
            print(list);
            return 0;
        }
        say(String.format("%-56s %-8s %s", "ID", "STATUS", "OWNED BY"));
        for (JsonNode model : list.path("data")) {
            say(String.format("%-56s %-8s %s", model.path("id").asText(), model.path("switchboard").path("status").asText(),
                    model.path("owned_by").asText()));
        }
        say(list.path("data").size() + " models");
        return 0;
    }
}
