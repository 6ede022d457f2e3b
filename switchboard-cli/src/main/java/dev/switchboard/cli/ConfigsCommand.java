package dev.switchboard.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code switchboard configs …}: model configurations on a running server. */
@Command(name = "configs", mixinStandardHelpOptions = true, description = "Manage model configurations (aliases).",
        subcommands = {ConfigsCommand.ListConfigs.class, ConfigsCommand.GetConfig.class, ConfigsCommand.SetConfig.class, ConfigsCommand.DeleteConfig.class,
                ConfigsCommand.ConfigHistory.class, ConfigsCommand.RollbackConfig.class})
final class ConfigsCommand {
    /** What every configs subcommand shares: the path of an alias and If-Match from --if-version. */
    abstract static class Base extends ApiCommand {
        static String path(String alias) {
            return "/api/v1/model-configs/" + PathSegment.encode(alias);
        }

        static Map<String, String> ifVersion(Long version) {
            return version == null ? Map.of() : Map.of("If-Match", "\"" + version + "\"");
        }
    }

    @Command(name = "list", description = "List every model configuration.")
    static final class ListConfigs extends Base {
        @Override
        public Integer call() throws Exception {
            JsonNode list = send("GET", "/api/v1/model-configs", null, Map.of());
            if (json) {
                print(list);
                return 0;
            }
            out().printf("%-24s %-8s %-48s %s%n", "ALIAS", "VERSION", "TARGET", "TARGET STATUS");
            for (JsonNode c : list.path("data")) {
                out().printf("%-24s %-8s %-48s %s%n", c.path("alias").asText(), c.path("version").asText(),
                        c.path("target").asText(), c.path("target_status").asText());
            }
            out().flush();
            return 0;
        }
    }

    @Command(name = "get", description = "Show one model configuration.")
    static final class GetConfig extends Base {
        @Parameters(paramLabel = "ALIAS")
        String alias;

        @Override
        public Integer call() throws Exception {
            print(send("GET", path(alias), null, Map.of()));
            return 0;
        }
    }

    @Command(name = "set", description = "Create or replace a model configuration.")
    static final class SetConfig extends Base {
        @Parameters(paramLabel = "ALIAS")
        String alias;
        @Option(names = "--provider", required = true, description = "Provider id.")
        String provider;
        @Option(names = "--model", required = true, description = "Model id at that provider.")
        String model;
        @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A parameter (repeatable); the value is read as JSON when it parses (0.2, true, {…}), else as text.")
        Map<String, String> params = new LinkedHashMap<>();
        @Option(names = "--fallback", paramLabel = "TARGET", description = "provider/model or alias, in order (repeatable).")
        List<String> fallbacks = java.util.List.of();
        @Option(names = "--description")
        String description;
        @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label (repeatable).")
        Map<String, String> labels = new LinkedHashMap<>();
        @Option(names = "--if-version", paramLabel = "N", description = "Only if the stored version is N (else exit 1 with the current version).")
        Long ifVersion;
        @Option(names = "--no-validate", description = "Save even if the provider's catalog does not list the model.")
        boolean noValidate;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = mapper.createObjectNode();
            body.put("provider", provider);
            body.put("model", model);
            ObjectNode paramNode = body.putObject("params");
            for (var entry : params.entrySet()) paramNode.set(entry.getKey(), value(entry.getKey(), entry.getValue()));
            body.set("fallbacks", mapper.valueToTree(fallbacks));
            if (description != null) body.put("description", description);
            body.set("labels", mapper.valueToTree(labels));
            JsonNode saved;
            try {
                saved = send("PUT", path(alias) + (noValidate ? "?validate=false" : ""), body, ifVersion(ifVersion));
            } catch (IllegalStateException refused) {
                // the server's hint names its query parameter; here the flag that sends it is what to type
                throw new IllegalStateException(refused.getMessage().replace("?validate=false", "--no-validate"), refused);
            }
            if (json) print(saved);
            else out().println(alias + " is at version " + saved.path("version").asLong() + " -> " + saved.path("target").asText()
                    + " (" + saved.path("target_status").asText() + ")");
            out().flush();
            return 0;
        }

        /** JSON when all of the text is one JSON value ({@code 1 and more} is text); a number too large for JSON is an error. */
        private JsonNode value(String key, String text) {
            JsonNode parsed;
            try {
                parsed = mapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(text);
            } catch (Exception notJson) {
                parsed = null;
            }
            if (parsed == null || parsed.isMissingNode()) return mapper.getNodeFactory().textNode(text);
            if (!finite(parsed)) {
                // Jackson would send it as the string "Infinity"
                throw new CommandLine.ParameterException(spec.commandLine(), "--param " + key + ": " + text + " is a number out of range");
            }
            return parsed;
        }

        private static boolean finite(JsonNode node) {
            if (node.isFloatingPointNumber()) return Double.isFinite(node.doubleValue());
            for (JsonNode child : node) if (!finite(child)) return false;
            return true;
        }
    }

    @Command(name = "delete", description = "Delete a model configuration (its history stays).")
    static final class DeleteConfig extends Base {
        @Parameters(paramLabel = "ALIAS")
        String alias;
        @Option(names = "--if-version", paramLabel = "N")
        Long ifVersion;

        @Override
        public Integer call() throws Exception {
            send("DELETE", path(alias), null, ifVersion(ifVersion));
            out().println("deleted " + alias);
            out().flush();
            return 0;
        }
    }

    @Command(name = "history", description = "Every version of a model configuration.")
    static final class ConfigHistory extends Base {
        @Parameters(paramLabel = "ALIAS")
        String alias;

        @Override
        public Integer call() throws Exception {
            JsonNode history = send("GET", path(alias) + "/history", null, Map.of());
            if (json) {
                print(history);
                return 0;
            }
            for (JsonNode entry : history.path("data")) {
                JsonNode config = entry.path("config");
                out().printf("v%-4s %-12s %-26s %-16s %s%n", entry.path("version").asText(), entry.path("change").asText(),
                        entry.path("updated_at").asText(), entry.path("updated_by").asText(),
                        config.isMissingNode() ? "" : config.path("provider").asText() + "/" + config.path("model").asText());
            }
            out().flush();
            return 0;
        }
    }

    @Command(name = "rollback", description = "Make a new version equal to an earlier one.")
    static final class RollbackConfig extends Base {
        @Parameters(paramLabel = "ALIAS")
        String alias;
        @Option(names = "--to", required = true, paramLabel = "N", description = "The version to go back to.")
        long version;

        @Override
        public Integer call() throws Exception {
            ObjectNode body = mapper.createObjectNode().put("version", version);
            JsonNode saved = send("POST", path(alias) + ":rollback", body, Map.of());
            if (json) print(saved);
            else out().println(alias + " is at version " + saved.path("version").asLong() + " (equal to version " + version + ")");
            out().flush();
            return 0;
        }
    }
}
