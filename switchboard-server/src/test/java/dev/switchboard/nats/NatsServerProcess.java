package dev.switchboard.nats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A nats-server of the test's own, with JetStream, on a free port and a store folder of the test: it can be killed
 * and started again mid-test (the machine's shared broker cannot). The store folder outlives a kill, so the
 * restarted broker has the stream as it was.
 */
final class NatsServerProcess implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/nats-server");

    private final int port;
    private final Path storeDir;
    private final Path logFile;
    private final List<String> options;
    private Process process;

    private NatsServerProcess(int port, Path dir, List<String> options) throws IOException {
        this.port = port;
        this.options = List.copyOf(options);
        this.storeDir = Files.createDirectories(dir.resolve("jetstream"));
        this.logFile = dir.resolve("nats-server.log");
    }

    /** A broker on a free port that is not started yet (for a Switchboard that starts before its broker). */
    static NatsServerProcess prepare(Path dir) {
        return prepare(dir, List.of());
    }

    /** With more command-line options, e.g. {@code --user sb --pass pw}. */
    static NatsServerProcess prepare(Path dir, List<String> options) {
        try (ServerSocket socket = new ServerSocket(0)) {
            return new NatsServerProcess(socket.getLocalPort(), dir, options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NatsServerProcess start(Path dir) {
        NatsServerProcess server = prepare(dir);
        server.start();
        return server;
    }

    String url() {
        return "nats://127.0.0.1:" + port;
    }

    /** Starts the broker and returns once it takes connections. */
    void start() {
        if (!Files.isExecutable(BINARY)) throw new IllegalStateException(BINARY + " is missing: install the nats-server package");
        try {
            List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-a", "127.0.0.1", "-p", Integer.toString(port),
                    "-js", "-sd", storeDir.toString()));
            command.addAll(options);
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(this::listens);
    }

    /** Accepts connections (a broker that wants credentials answers with its INFO line all the same). */
    private boolean listens() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream())).readLine().startsWith("INFO");
        }
    }

    /** SIGKILL: the broker gets no chance to say goodbye to its clients. */
    void kill() {
        if (process == null) return;
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** SIGSTOP (or SIGCONT): the broker keeps its connections open and answers nothing, as a hung one does. */
    void freeze(boolean frozen) {
        try {
            new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid())).inheritIO().start().waitFor();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }
}
