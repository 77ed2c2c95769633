package dev.mfrecs.it;

import dev.mfrecs.trainer.FailurePoints;
import dev.mfrecs.trainer.publish.ModelLock;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The trainer as cron runs it: a real child JVM started from the built {@code mfrecs-trainer.jar} (system property
 * {@code mfrecs.trainer.jar}, set by the build), so the failure-injection tests can do to it what happens to a process at
 * 3 a.m.: SIGKILL, SIGSTOP and SIGCONT (by its pid, never by name), and read its exit code and output. A test-only pause
 * point ({@link FailurePoints}) and a short lease ({@link ModelLock.Lease#TEST_PROPERTY}) can be set per process. Its stdout
 * and stderr are collected (and echoed to the test's stderr with a prefix); the process is killed when closed if still alive.
 */
final class TrainerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final StringBuilder stdout = new StringBuilder();
    private final StringBuilder stderr = new StringBuilder();
    private final List<Thread> pumps = new ArrayList<>();

    private TrainerProcess(String name, Process process) {
        this.name = name;
        this.process = process;
        pumps.add(pump(process.getInputStream(), stdout));
        pumps.add(pump(process.getErrorStream(), stderr));
    }

    /** Options of a child trainer: the pause point and the lease, both null for a run as in production. */
    record Options(String pauseAt, String lease) {
        static final Options NONE = new Options(null, null);

        static Options pauseAt(String step) {
            return new Options(step, null);
        }

        Options withLease(String ttlSlashRenewSeconds) {
            return new Options(pauseAt, ttlSlashRenewSeconds);
        }
    }

    /** Starts {@code mfrecs ARGS} as a child JVM named {@code name} (in the echoed output). */
    static TrainerProcess start(String name, Options options, List<String> args) throws IOException {
        Path jar = Path.of(System.getProperty("mfrecs.trainer.jar", "(mfrecs.trainer.jar not set: run through mvn verify)"));
        if (Files.isRegularFile(jar) == false) {
            throw new IllegalStateException("trainer jar [" + jar + "] not found; the build sets mfrecs.trainer.jar");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--add-modules=jdk.incubator.vector", "-Xmx256m"));
        if (options.pauseAt() != null) {
            cmd.add("-D" + FailurePoints.PAUSE_AT + "=" + options.pauseAt());
        }
        if (options.lease() != null) {
            cmd.add("-D" + ModelLock.Lease.TEST_PROPERTY + "=" + options.lease());
        }
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(args);
        return new TrainerProcess(name, new ProcessBuilder(cmd).start());
    }

    private Thread pump(InputStream in, StringBuilder sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (this) {
                        sink.append(line).append('\n');
                        notifyAll();
                    }
                    System.err.println("[" + name + " pid " + process.pid() + "] " + line);
                }
            } catch (IOException e) {
                // the process is gone
            }
        }, "trainer-output-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    long pid() {
        return process.pid();
    }

    /** Waits until the output (stdout or stderr) contains {@code text}; fails with the output so far otherwise. */
    synchronized void awaitOutput(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stdout.indexOf(text) < 0 && stderr.indexOf(text) < 0) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0 || (process.isAlive() == false && stdout.indexOf(text) < 0 && stderr.indexOf(text) < 0)) {
                if (process.isAlive() == false) {
                    // give the pumps a moment to drain what the process wrote last
                    wait(200);
                    if (stdout.indexOf(text) >= 0 || stderr.indexOf(text) >= 0) {
                        return;
                    }
                }
                throw new AssertionError(name + ": [" + text + "] not seen within " + timeout + " (alive: " + process.isAlive() + ")\n"
                    + output());
            }
            wait(Math.min(left, 200));
        }
    }

    /** Waits for the test-only pause point to be reached. */
    void awaitPause(String step, Duration timeout) throws InterruptedException {
        awaitOutput("mfrecs test hook: paused at [" + step + "]", timeout);
    }

    /** Lets a paused trainer go on (a line on its stdin). */
    void resume() throws IOException {
        OutputStream in = process.getOutputStream();
        in.write('\n');
        in.flush();
    }

    /** SIGKILL: what the OOM killer or {@code kill -9} does; waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (process.waitFor(30, TimeUnit.SECONDS) == false) {
            throw new AssertionError(name + " survived SIGKILL");
        }
    }

    /** SIGSTOP: the process freezes (a long GC pause, a suspended VM, a stopped container). */
    void freeze() throws IOException, InterruptedException {
        signal("STOP");
    }

    /** SIGCONT: the frozen process goes on as if nothing happened. */
    void thaw() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String sig) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).redirectErrorStream(true).start();
        String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + sig + " " + process.pid() + " failed: " + out);
        }
    }

    /** Waits for the process to exit and returns its exit code; fails (killing it) if it runs longer than {@code timeout}. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) == false) {
            process.destroyForcibly();
            throw new AssertionError(name + " still running after " + timeout + "\n" + output());
        }
        for (Thread t : pumps) {
            t.join(5_000);
        }
        return process.exitValue();
    }

    boolean alive() {
        return process.isAlive();
    }

    synchronized String stdout() {
        return stdout.toString();
    }

    synchronized String output() {
        return "stdout:\n" + stdout + "stderr:\n" + stderr;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
