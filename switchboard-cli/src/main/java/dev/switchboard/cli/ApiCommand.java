package dev.switchboard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.store.JsonMapper;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/** A command that talks to a running server's API: where it is, {@code --json}, the call and the output. */
abstract class ApiCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Mixin
    ConfigOption config;
    @Mixin
    ServerOption server;
    @Option(names = "--json", description = "Print JSON.")
    boolean json;
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
    final ObjectMapper mapper = JsonMapper.create();

    JsonNode send(String method, String path, JsonNode body, Map<String, String> headers) throws Exception {
        return server.target(config.load()).call(mapper, method, path, body, headers, TIMEOUT);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    void print(JsonNode node) throws Exception {
        out().println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        out().flush();
    }

    void say(String line) {
        out().println(line);
        out().flush();
    }
}
