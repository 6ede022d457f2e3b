package dev.switchboard.config;

import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Writes a real TOML file to a temporary directory and loads it, as the server does at start. */
abstract class TomlFileTestSupport {
    @TempDir
    Path dir;

    Path file() {
        return dir.resolve("switchboard.toml");
    }

    SwitchboardConfig load(String toml) {
        return load(toml, Map.of());
    }

    SwitchboardConfig load(String toml, Map<String, String> env) {
        return loader().load(write(toml), env);
    }

    /** The message of the {@link ConfigException} that loading {@code toml} must throw. */
    String loadError(String toml) {
        return loadError(toml, Map.of());
    }

    String loadError(String toml, Map<String, String> env) {
        Path file = write(toml);
        var thrown = assertThatThrownBy(() -> loader().load(file, env)).isInstanceOf(ConfigException.class);
        return ((Throwable) thrown.actual()).getMessage();
    }

    /** The start of a message about line {@code line} of the file: {@code /tmp/…/switchboard.toml:7: }. */
    String at(int line) {
        return file() + ":" + line + ": ";
    }

    /** Relative file: URLs resolve against the temporary directory, standing in for the working directory. */
    ConfigLoader loader() {
        return new ConfigLoader(dir);
    }

    Path write(String toml) {
        try {
            return Files.writeString(file(), toml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
