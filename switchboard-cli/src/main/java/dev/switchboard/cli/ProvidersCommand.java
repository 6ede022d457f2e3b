package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code switchboard providers …}: API-managed providers on a running server. The credential is read from an
 * environment variable or standard input, never from the command line (where shell history would keep it).
 */
@Command(name = "providers", mixinStandardHelpOptions = true, description = "Manage providers created through the API.",
        subcommands = {ProvidersCommand.ListProviders.class, ProvidersCommand.AddProvider.class,
                ProvidersCommand.UpdateProvider.class, ProvidersCommand.RemoveProvider.class})
final class ProvidersCommand {
    abstract static class Base extends ApiCommand {
        JsonNode send(String method, String path, JsonNode body) throws Exception {
            return send(method, path, body, Map.of());
        }

        void report(JsonNode provider) throws Exception {
            if (json) print(provider);
            else say(line(provider));
        }

        static String line(JsonNode p) {
            String error = p.path("last_error").isTextual() ? "  " + p.path("last_error").asText() : "";
            return String.format("%-20s %-10s %-7s %-7s %5d models%s", p.path("id").asText(), p.path("kind").asText(),
                    p.path("source").asText(), p.path("status").asText(), p.path("model_count").asInt(), error);
        }

        static String path(String id) {
            return "/api/v1/providers/" + PathSegment.encode(id);
        }
    }

    /** The settings add and update share; only what was given goes into the body. */
    abstract static class Settings extends Base {
        @Option(names = "--base-url", paramLabel = "URL")
        String baseUrl;
        @Option(names = "--api-key-env", paramLabel = "VAR", description = "Read the credential from this environment variable.")
        String apiKeyEnv;
        @Option(names = "--api-key-stdin", description = "Read the credential from the first line of standard input.")
        boolean apiKeyStdin;
        @Option(names = "--allow", paramLabel = "GLOB", description = "Keep only matching model ids (repeatable).")
        List<String> allowed;
        @Option(names = "--deny", paramLabel = "GLOB", description = "Drop matching model ids (repeatable).")
        List<String> denied;
        @Option(names = "--model", paramLabel = "ID", description = "A model of a static provider (repeatable).")
        List<String> models;

        ObjectNode settings() throws Exception {
            ObjectNode body = mapper.createObjectNode();
            if (baseUrl != null) body.put("base_url", baseUrl);
            if (apiKeyEnv != null) {
                String key = System.getenv(apiKeyEnv);
                if (key == null || key.isEmpty()) throw new IllegalArgumentException("environment variable " + apiKeyEnv + " is not set");
                body.put("api_key", key);
            }
            if (apiKeyStdin) {
                String key = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (key == null || key.isBlank()) throw new IllegalArgumentException("no credential on standard input");
                body.put("api_key", key.trim());
            }
            if (allowed != null) body.set("allowed_models", mapper.valueToTree(allowed));
            if (denied != null) body.set("denied_models", mapper.valueToTree(denied));
            if (models != null) body.set("models", mapper.valueToTree(models));
            return body;
        }
    }

    @Command(name = "list", description = "List every provider with its status.")
    static final class ListProviders extends Base {
        @Override
        public Integer call() throws Exception {
            JsonNode list = send("GET", "/api/v1/providers", null);
            if (json) print(list);
            else for (JsonNode provider : list.path("data")) say(line(provider));
            return 0;
        }
    }

    @Command(name = "add", description = "Create a provider; it is refreshed at once.")
    static final class AddProvider extends Settings {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--kind", required = true, description = "openai, anthropic, gemini, ollama, registry or static.")
        String kind;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = settings();
            body.put("id", id);
            body.put("kind", kind);
            report(send("POST", "/api/v1/providers", body));
            return 0;
        }
    }

    @Command(name = "update", description = "Change some settings of a provider; it is refreshed at once.")
    static final class UpdateProvider extends Settings {
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--remove-api-key", description = "Forget the stored credential.")
        boolean removeKey;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = settings();
            if (removeKey) body.putNull("api_key");
            report(send("PATCH", path(id), body));
            return 0;
        }
    }

    @Command(name = "remove", description = "Delete a provider; its models leave the catalog.")
    static final class RemoveProvider extends Base {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws Exception {
            send("DELETE", path(id), null);
            say("removed " + id);
            return 0;
        }
    }
}
