package dev.mfrecs.trainer.cli;

import dev.mfrecs.trainer.eval.EvaluateCommand;
import dev.mfrecs.trainer.eval.ReportCommand;
import dev.mfrecs.trainer.eval.TuneCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mfrecs} command line: one entry point whose subcommands are the product's jobs. Exit codes: 0 success,
 * 2 bad arguments, 3 cluster unreachable, 4 training or publishing failed.
 */
@Command(
    name = "mfrecs",
    mixinStandardHelpOptions = true,
    version = "mfrecs 0.1.0",
    description = "Matrix-factorization recommendations inside Elasticsearch.",
    subcommands = { DemoCommand.class, TrainCommand.class, ModelsCommand.class, EvaluateCommand.class, TuneCommand.class,
        ReportCommand.class, BenchServingCommand.class, LoadCommand.class }
)
public final class MfrecsCommand implements Runnable {

    public static final int EXIT_UNREACHABLE = 3;
    public static final int EXIT_FAILED = 4;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the product's exit codes: 2 for bad arguments (also when a command rejects a value), 3, 4. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new MfrecsCommand());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + ex.getMessage());
            if (ex instanceof java.net.ConnectException || ex.getCause() instanceof java.net.ConnectException) {
                return EXIT_UNREACHABLE;
            }
            if (ex instanceof IllegalArgumentException) {
                return CommandLine.ExitCode.USAGE;
            }
            return EXIT_FAILED;
        });
        return cli;
    }
}
