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
        int aliases = 0;
        for (JsonNode entry : list.path("data")) {
            JsonNode extension = entry.path("switchboard");
            boolean alias = extension.path("kind").asText().equals("alias");
            if (alias) aliases++;
            // an alias has no status of its own: its target's
            say(String.format("%-56s %-8s %s", entry.path("id").asText(), extension.path(alias ? "target_status" : "status").asText(),
                    entry.path("owned_by").asText()));
        }
        say(count(list.path("data").size() - aliases, "model") + ", " + count(aliases, "alias"));
        return 0;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : noun.endsWith("s") ? "es" : "s");
    }
}
