package dev.mfrecs.trainer.cli;

import dev.mfrecs.trainer.log.ProgressLog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer's help: every command and subcommand answers {@code -h} and {@code --help}, every option has a description and
 * shows its default, and {@code --log-format json} turns errors into ECS JSON lines.
 */
class CommandHelpTest {

    @AfterEach
    void textLogsAgain() {
        ProgressLog.useFormat(ProgressLog.Format.TEXT);
    }

    @Test
    void everyTrainerCommandIsDocumentedAndAnswersHelp() {
        List<String> problems = CommandLines.helpProblems(MfrecsCommand::new);
        assertEquals(List.of(), problems, String.join("\n", problems));
    }

    /** A program with one undocumented option, one unprintable description and one default mentioned twice. */
    @Command(name = "sloppy", description = "A badly documented program.")
    static final class Sloppy implements Runnable {
        @Option(names = "--quiet")
        boolean quiet;

        @Option(names = "--drop", description = "Drop more than 20% of rows.")
        int drop;

        @Option(names = "--size", defaultValue = "3", description = "Size (default: ${DEFAULT-VALUE}).")
        int size;

        @Override
        public void run() {}
    }

    @Test
    void theCheckFailsOnAnUndocumentedOption() {
        List<String> problems = CommandLines.helpProblems(Sloppy::new);
        assertTrue(problems.stream().anyMatch(p -> p.equals("sloppy --quiet: no description")), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("-h: printed [[picocli WARN] Could not format 'Drop more than 20%")),
            problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("sloppy --size: the description repeats the default")),
            problems.toString());
    }

    @Test
    void helpShowsDefaultsAndModelsSubcommandsTakeVersionAsAModelVersion() {
        StringWriter out = new StringWriter();
        CommandLine cli = CommandLines.of(new MfrecsCommand());
        cli.setOut(new PrintWriter(out, true));
        assertEquals(0, cli.execute("models", "rollback", "--help"));
        assertTrue(out.toString().contains("--version=N"), out.toString());
        out.getBuffer().setLength(0);
        assertEquals(0, cli.execute("train", "-h"));
        assertTrue(out.toString().contains("Default: 64"), "--factors shows its default: " + out);
    }

    @Test
    void jsonLogsPrintErrorsAsEcsObjects() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine cli = CommandLines.of(new MfrecsCommand());
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int code = cli.execute("train", "--log-format", "json", "--es", "http://127.0.0.1:9", "--model", "m", "--since", "soon");
        assertEquals(CommandLines.EXIT_USAGE, code);
        String text = err.toString();
        assertTrue(text.contains("[--since] must be a duration"), text);

        err.getBuffer().setLength(0);
        code = cli.execute("models", "list", "--log-format", "JSON", "--es", "http://127.0.0.1:9", "m");
        assertEquals(CommandLines.EXIT_UNREACHABLE, code, err.toString());
        JsonNode line = new ObjectMapper().readTree(err.toString().strip().lines().reduce((a, b) -> b).orElseThrow());
        assertEquals("error", line.path("log.level").asText());
        assertEquals(ProgressLog.ECS_VERSION, line.path("ecs.version").asText());
        assertEquals("mfrecs", line.path("service.name").asText());
        assertTrue(line.path("@timestamp").asText().endsWith("Z"), line.toString());
        assertTrue(line.path("error.type").asText().contains("Exception"), line.toString());
    }
}
