package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.auth.ApiKeys;
import dev.switchboard.auth.Role;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code switchboard keys …}: API keys, through a running server (admin key needed) or with {@code --offline}
 * straight on the store, which is how the first admin key is made when the config has none.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage API keys.",
        subcommands = {KeysCommand.CreateKey.class, KeysCommand.ListKeys.class, KeysCommand.RevokeKey.class})
final class KeysCommand {
    abstract static class Base extends ApiCommand {
        @Option(names = "--offline", description = "Work on the store directly (the server must be stopped when the store is an H2 file).")
        boolean offline;

        <T> T offline(Function<ApiKeys, T> work) {
            SwitchboardConfig loaded = config.load();
            try (Store store = Store.open(loaded.store())) {
                return work.apply(new ApiKeys(store, loaded.auth(), Clock.systemUTC()));
            }
        }

        JsonNode describe(ApiKeys.KeyInfo key) {
            ObjectNode node = mapper.createObjectNode().put("id", key.id()).put("name", key.name()).put("role", key.role().wireName())
                    .put("prefix", key.prefix()).put("created_at", key.createdAt().toString());
            node.put("revoked_at", key.revokedAt().map(Object::toString).orElse(null));
            return node;
        }
    }

    @Command(name = "create", description = "Create a key; it is printed once and cannot be shown again.")
    static final class CreateKey extends Base {
        @Option(names = "--name", required = true, description = "What the key is for (shown in lists and as updated_by).")
        String name;
        @Option(names = "--role", required = true, description = "reader, writer or admin.")
        String role;

        @Override
        public Integer call() throws Exception {
            Role parsed = Role.ofKey(role).orElseThrow(() -> new IllegalArgumentException("--role must be reader, writer or admin, got \"" + role + "\""));
            JsonNode created;
            if (offline) {
                created = offline(keys -> {
                    ApiKeys.Created c = keys.create(name, parsed);
                    return ((ObjectNode) describe(c.info())).put("key", c.secret());
                });
            } else {
                created = send("POST", "/api/v1/keys", mapper.createObjectNode().put("name", name).put("role", parsed.wireName()), Map.of());
            }
            if (json) print(created);
            else {
                say(Printable.of("created " + created.path("role").asText() + " key \"" + created.path("name").asText() + "\" (id "
                        + created.path("id").asText() + ")"));
                say(created.path("key").asText());
                say("store it now: it is not shown again");
            }
            return 0;
        }
    }

    @Command(name = "list", description = "List keys (never the keys themselves).")
    static final class ListKeys extends Base {
        @Override
        public Integer call() throws Exception {
            JsonNode list = offline
                    ? mapper.createObjectNode().set("data", mapper.valueToTree(offline(keys -> keys.list().stream().map(this::describe).toList())))
                    : send("GET", "/api/v1/keys", null, Map.of());
            if (json) {
                print(list);
                return 0;
            }
            for (JsonNode key : list.path("data")) {
                // a name can hold anything a server or an older version stored: never let it drive the terminal
                say(Printable.of(String.format("%-18s %-24s %-7s %-10s %s", key.path("id").asText(), key.path("name").asText(),
                        key.path("role").asText(), key.path("prefix").asText() + "…",
                        key.path("revoked_at").isTextual() ? "revoked " + key.path("revoked_at").asText() : "active")));
            }
            return 0;
        }
    }

    @Command(name = "revoke", description = "Revoke a key; it and the sessions opened with it stop working at once.")
    static final class RevokeKey extends Base {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        public Integer call() throws Exception {
            if (offline) {
                offline(keys -> {
                    keys.revoke(id);
                    return null;
                });
            } else {
                send("DELETE", "/api/v1/keys/" + PathSegment.encode(id), null, Map.of());
            }
            say("revoked " + id);
            return 0;
        }
    }
}
