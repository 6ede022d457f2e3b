package dev.switchboard.cli;

import dev.switchboard.config.ConfigLoader;
import dev.switchboard.config.SwitchboardConfig;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** {@code --config FILE}, else {@code $SWITCHBOARD_CONFIG}, else {@code ./switchboard.toml} when present, else defaults. */
final class ConfigOption {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Configuration file (TOML). Default: $SWITCHBOARD_CONFIG, else ./switchboard.toml when present.")
    Path file;

    SwitchboardConfig load() {
        Map<String, String> env = System.getenv();
        Path chosen = file;
        if (chosen == null && env.containsKey("SWITCHBOARD_CONFIG")) chosen = Path.of(env.get("SWITCHBOARD_CONFIG"));
        if (chosen == null && Files.exists(Path.of("switchboard.toml"))) chosen = Path.of("switchboard.toml");
        ConfigLoader loader = new ConfigLoader();
        return chosen == null ? loader.defaults(env) : loader.load(chosen, env);
    }
}
