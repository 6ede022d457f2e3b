package dev.switchboard.cli;

import java.io.PrintWriter;

/** Prints "refreshing… 3s" once a second on an interactive terminal while a long call runs. */
final class ProgressTicker implements AutoCloseable {
    private final Thread thread;

    ProgressTicker(PrintWriter err, String what) {
        boolean interactive = System.console() != null;
        long start = System.nanoTime();
        thread = Thread.ofVirtual().unstarted(() -> {
            try {
                while (true) {
                    Thread.sleep(1000);
                    err.print("\r" + what + "… " + (System.nanoTime() - start) / 1_000_000_000 + "s");
                    err.flush();
                }
            } catch (InterruptedException done) {
                err.print("\r");
                err.flush();
            }
        });
        if (interactive) thread.start();
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
