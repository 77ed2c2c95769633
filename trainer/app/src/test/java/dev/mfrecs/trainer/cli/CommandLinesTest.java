package dev.mfrecs.trainer.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exit codes every program (trainer, evaluation, dev kit) gets from {@link CommandLines#of}. */
class CommandLinesTest {

    /** A program whose one job fails the way it is told to. */
    @Command(name = "fails")
    static final class Failing implements Callable<Integer> {
        @Option(names = "--with")
        String with = "none";

        @Option(names = "--count")
        int count;

        @Override
        public Integer call() throws Exception {
            return switch (with) {
                case "bad-value" -> throw new IllegalArgumentException("[--with] bad value");
                case "unreachable" -> throw new ConnectException("Connection refused");
                case "no-message" -> throw new ConnectException();
                case "wrapped-unreachable" -> throw new IOException("request failed", new ConnectException("Connection refused"));
                case "failed" -> throw new IllegalStateException("training failed");
                default -> 0;
            };
        }
    }

    private static int run(StringWriter err, String... args) {
        CommandLine cli = CommandLines.of(new Failing());
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    /** A program with one subcommand that declares no help option of its own. */
    @Command(name = "program", subcommands = Failing.class)
    static final class Program implements Runnable {
        @Override
        public void run() {}
    }

    @Test
    void everyCommandAnswersHelpAndVersion() {
        for (String[] args : new String[][] { { "--help" }, { "fails", "--help" }, { "fails", "-h" } }) {
            StringWriter out = new StringWriter();
            CommandLine cli = CommandLines.of(new Program());
            cli.setOut(new PrintWriter(out, true));
            assertEquals(0, cli.execute(args), String.join(" ", args));
            assertTrue(out.toString().contains("Usage:"), out.toString());
        }
        StringWriter out = new StringWriter();
        CommandLine cli = CommandLines.of(new Program());
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("fails", "--version"));
        assertEquals(CommandLines.VERSION, out.toString().strip());
    }

    @Test
    void exitCodes() {
        assertEquals(0, run(new StringWriter()));
        assertEquals(2, run(new StringWriter(), "--count", "many"), "unparseable option");
        assertEquals(2, run(new StringWriter(), "--unknown"), "unknown option");
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "--with", "bad-value"), "a value the command rejects");
        assertTrue(err.toString().contains("error: [--with] bad value"), err.toString());
        assertEquals(3, run(new StringWriter(), "--with", "unreachable"));
        assertEquals(3, run(new StringWriter(), "--with", "wrapped-unreachable"));
        err = new StringWriter();
        assertEquals(3, run(err, "--with", "no-message"));
        assertTrue(err.toString().contains("error: " + ConnectException.class.getName()),
            "names the exception when it has no message: " + err);
        assertEquals(4, run(new StringWriter(), "--with", "failed"));
        assertEquals(CommandLines.EXIT_USAGE, 2);
        assertEquals(CommandLines.EXIT_UNREACHABLE, 3);
        assertEquals(CommandLines.EXIT_FAILED, 4);
    }
}
