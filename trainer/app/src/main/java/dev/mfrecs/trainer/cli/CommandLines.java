package dev.mfrecs.trainer.cli;

import dev.mfrecs.trainer.MfrecsVersion;
import dev.mfrecs.trainer.publish.ModelLock;
import dev.mfrecs.trainer.train.PublishRefusedException;

import java.net.ConnectException;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The exit codes and version shared by every mfrecs program (the trainer {@code mfrecs}, the offline evaluation
 * {@code mfrecs-eval}, the dev kit {@code mfrecs-dev}), kept in one place so scripts and schedulers see the same codes
 * whichever program they run: 0 success, 2 bad arguments (also when a command rejects a value), 3 cluster unreachable,
 * 4 training, publishing or another job failed, 5 a run refused to publish (gate, pinned rollback), 6 another process holds the
 * model's lock. Every command and subcommand also answers {@code --help} and
 * {@code --version}.
 */
public final class CommandLines {

    /** The version every program's {@code --version} prints. */
    public static final String VERSION = "mfrecs " + MfrecsVersion.get();
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;
    public static final int EXIT_UNREACHABLE = 3;
    public static final int EXIT_FAILED = 4;
    /** A run trained but did not publish on purpose (gate, pinned rollback); the live model serves. */
    public static final int EXIT_REFUSED = 5;
    /** Another process holds the model's lock; this run did nothing. */
    public static final int EXIT_LOCKED = 6;

    private CommandLines() {}

    /** The command line of one program's top-level command with the exit codes above and help on every command. */
    public static CommandLine of(Object command) {
        CommandLine cli = new CommandLine(command);
        addHelpOptions(cli);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + (ex.getMessage() != null ? ex.getMessage() : ex));
            if (ex instanceof ConnectException || ex.getCause() instanceof ConnectException) {
                return EXIT_UNREACHABLE;
            }
            if (ex instanceof PublishRefusedException) {
                return EXIT_REFUSED;
            }
            if (ex instanceof ModelLock.HeldException) {
                return EXIT_LOCKED;
            }
            if (ex instanceof IllegalArgumentException) {
                return EXIT_USAGE;
            }
            return EXIT_FAILED;
        });
        return cli;
    }

    private static void addHelpOptions(CommandLine cli) {
        CommandSpec spec = cli.getCommandSpec();
        if (spec.mixinStandardHelpOptions() == false) {
            spec.mixinStandardHelpOptions(true);
        }
        if (spec.version().length == 0) {
            spec.version(VERSION);
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            addHelpOptions(sub);
        }
    }

    /** Runs one program's top-level command with {@code args} and exits the JVM with its exit code. */
    public static void main(Object command, String[] args) {
        System.exit(of(command).execute(args));
    }
}
