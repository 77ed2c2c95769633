package dev.mfrecs.trainer.node;

import java.io.PrintStream;

/**
 * Where long-running steps report progress: a line per step with elapsed time, so a user watching the demo or a CI
 * log sees what is happening and how long each part takes.
 */
public final class ProgressLog {

    private final PrintStream out;
    private final long start = System.nanoTime();

    public ProgressLog(PrintStream out) {
        this.out = out;
    }

    public static ProgressLog stderr() {
        return new ProgressLog(System.err);
    }

    public void step(String message) {
        out.printf("[%6.1fs] %s%n", (System.nanoTime() - start) / 1e9, message);
        out.flush();
    }
}
