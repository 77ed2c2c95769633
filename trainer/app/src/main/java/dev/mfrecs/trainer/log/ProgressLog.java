package dev.mfrecs.trainer.log;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Locale;

/**
 * Where long-running steps report progress, one line per step with the elapsed time. On a terminal the lines are for
 * people ({@code [  12.3s] read 100000 events}); otherwise (cron, systemd, CI) they are structured key=value lines
 * ({@code ts=2026-11-26T03:00:12Z elapsed_s=12.3 msg="read 100000 events"}) that log shippers parse.
 */
public final class ProgressLog {

    private final PrintStream out;
    private final boolean structured;
    private final long start = System.nanoTime();

    public ProgressLog(PrintStream out, boolean structured) {
        this.out = out;
        this.structured = structured;
    }

    public ProgressLog(PrintStream out) {
        this(out, false);
    }

    /** Human lines on a terminal, structured lines otherwise. */
    public static ProgressLog stderr() {
        return new ProgressLog(System.err, System.console() == null);
    }

    public void step(String message) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (structured) {
            out.printf(Locale.ROOT, "ts=%s elapsed_s=%.1f msg=\"%s\"%n", Instant.now(), elapsed, message.replace("\"", "'"));
        } else {
            out.printf(Locale.ROOT, "[%6.1fs] %s%n", elapsed, message);
        }
        out.flush();
    }
}
