package dev.mfrecs.trainer;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Test-only pause points in a training run, off by default. They exist for the failure-injection suite (integration-tests,
 * {@code FailureInjectionIT}), which must stop a real trainer process at an exact step of a run to kill it with SIGKILL,
 * freeze it with SIGSTOP, break the cluster under it, or let it go on: watching the log for a step's line would race with
 * the step itself. Nothing pauses unless the JVM is started with {@code -Dmfrecs.test.pause-at=STEP}; then, the first time
 * the run reaches STEP, the trainer prints {@code mfrecs test hook: paused at [STEP]} on stderr and waits for a line (or the
 * end of input) on its stdin before it goes on. The steps are the constants below.
 */
public final class FailurePoints {

    /** The system property naming the step to pause at. */
    public static final String PAUSE_AT = "mfrecs.test.pause-at";
    /** Right after the run took the model's lock. */
    public static final String LOCKED = "locked";
    /** After the first page of events was read, with the point-in-time still open. */
    public static final String READ = "read";
    /** After the new version's two indices were created, before any document is written. */
    public static final String CREATED = "created";
    /** Mid-load: at least one bulk request of the new version was answered, more documents remain to be written. */
    public static final String BULK = "bulk";
    /** After the new version's metadata document was written, before the alias swap. */
    public static final String METADATA = "metadata";
    /** During retention after the swap: an old version's items index is deleted, its users index and metadata are not yet. */
    public static final String RETENTION = "retention";

    /** The step to pause at, read once: null in production, so {@link #reached} costs a comparison with null. */
    private static final String PAUSE_STEP = System.getProperty(PAUSE_AT);
    private static final AtomicBoolean PAUSED = new AtomicBoolean();

    private FailurePoints() {}

    /** Called by the run at {@code step}: returns at once unless the test-only property names this step (once per JVM). */
    public static void reached(String step) {
        if (PAUSE_STEP == null || PAUSE_STEP.equals(step) == false || PAUSED.getAndSet(true)) {
            return;
        }
        System.err.println("mfrecs test hook: paused at [" + step + "]");
        System.err.flush();
        try {
            int c;
            do {
                c = System.in.read();
            } while (c != '\n' && c != -1);
        } catch (IOException e) {
            // no stdin: go on
        }
        System.err.println("mfrecs test hook: resumed after [" + step + "]");
        System.err.flush();
    }
}
