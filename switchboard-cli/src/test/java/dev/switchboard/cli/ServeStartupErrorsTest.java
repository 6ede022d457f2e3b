package dev.switchboard.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A start that fails says why in one line, exits non-zero and leaves no store folder behind. */
class ServeStartupErrorsTest {
    @TempDir
    Path dir;

    private Path config(String toml) throws Exception {
        Path file = dir.resolve("switchboard.toml");
        Files.writeString(file, toml);
        return file;
    }

    private String h2(Path file) {
        return "jdbc:h2:file:" + file.toAbsolutePath();
    }

    @Test
    void aStoreFolderThatIsAFileIsOneLineWithTheReasonAndNoStackTrace() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("data"), "not a folder");
        Path config = config("""
                [server]
                port = 0
                [store]
                url = "%s"
                """.formatted(h2(notAFolder.resolve("switchboard"))));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        if (Runtime.version().feature() >= 24) command.add("--sun-misc-unsafe-memory-access=allow");
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--config", config.toString()));
        Path output = dir.resolve("serve.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exited").isTrue();
            String log = Files.readString(output);
            assertThat(process.exitValue()).as(log).isEqualTo(1);
            assertThat(log).contains("switchboard: cannot open the store at " + h2(notAFolder.resolve("switchboard"))
                    + ": " + notAFolder.toAbsolutePath() + " is not a directory\n");
            assertThat(log).as(log).doesNotContain("\tat ", "Exception", "Caused by");
        } finally {
            process.destroyForcibly();
        }
        assertThat(notAFolder).hasContent("not a folder");
    }

    @Test
    void aPasswordInTheStoreUrlNeverAppearsInTheError() throws Exception {
        Path notAFolder = Files.writeString(dir.resolve("data"), "not a folder");
        Path config = config("""
                [server]
                port = 0
                [store]
                url = "%s;USER=sa;PASSWORD=hunter2"
                """.formatted(h2(notAFolder.resolve("switchboard"))));

        CliRun run = CliRun.of("serve", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("PASSWORD=***").doesNotContain("hunter2");
    }

    @Test
    void aPortInUseNamesTheAddressAndLeavesNoDataFolder() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path config = config("""
                    [server]
                    port = %d
                    [store]
                    url = "%s"
                    """.formatted(taken.getLocalPort(), h2(dir.resolve("data/switchboard"))));

            CliRun run = CliRun.of("serve", "--config", config.toString());

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("switchboard: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": Address already in use");
            assertThat(dir.resolve("data")).doesNotExist();
        }
    }

    @Test
    void aStartRefusedAfterTheStoreOpenedLeavesNoDataFolder() throws Exception {
        Path config = config("""
                [server]
                port = 0
                [store]
                url = "%s"
                [auth]
                mode = "token"
                """.formatted(h2(dir.resolve("data/nested/switchboard"))));

        CliRun run = CliRun.of("serve", "--config", config.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("needs an admin");
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void aFailedStartKeepsAFolderThatWasAlreadyThere() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("keep.txt"), "mine");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Path config = config("""
                    [server]
                    port = %d
                    [store]
                    url = "%s"
                    """.formatted(taken.getLocalPort(), h2(data.resolve("switchboard"))));

            assertThat(CliRun.of("serve", "--config", config.toString()).exitCode()).isEqualTo(1);
        }
        assertThat(data.resolve("keep.txt")).hasContent("mine");
    }
}
