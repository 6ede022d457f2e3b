package dev.switchboard.cli;

import dev.switchboard.Switchboard;
import dev.switchboard.config.SwitchboardConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Runs the server until SIGTERM or SIGINT, then stops cleanly (bounded, even with a hung upstream). */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the Switchboard server.")
final class ServeCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--port", paramLabel = "PORT", description = "Override [server] port (0 picks a free port).")
    Integer port;

    @Override
    public Integer call() throws InterruptedException {
        SwitchboardConfig loaded = config.load();
        if (port != null) loaded = loaded.withServer(loaded.server().withPort(port));
        org.slf4j.LoggerFactory.getLogger(ServeCommand.class).info("effective configuration{}:\n{}",
                loaded.source().map(f -> " (" + f + ")").orElse(""), dev.switchboard.config.ConfigSummary.render(loaded));
        Switchboard switchboard = Switchboard.open(loaded).serve();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("switchboard-shutdown").unstarted(() -> {
            System.err.println("switchboard: stopping");
            long start = System.nanoTime();
            switchboard.close();
            // The time is the operator's check of the documented bound (a second, even with a hung upstream).
            System.err.println("switchboard: stopped in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
            stopped.countDown();
        }));
        System.out.println("Switchboard ready on http://" + loaded.server().host() + ":" + switchboard.port()
                + " (revision " + switchboard.bus().revision() + ")");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
