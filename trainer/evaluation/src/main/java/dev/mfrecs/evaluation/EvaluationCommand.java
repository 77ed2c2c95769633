package dev.mfrecs.evaluation;

import dev.mfrecs.trainer.cli.CommandLines;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The offline evaluation's command line ({@code mfrecs-eval}): evaluating, tuning, splitting and reporting on interaction
 * files, split files or the live interactions index. A program of its own so the trainer's release jar carries neither the
 * evaluation code nor its charting library; exit codes are the trainer's ({@link CommandLines}).
 */
@Command(
    name = "mfrecs-eval",
    mixinStandardHelpOptions = true,
    description = "mfrecs offline evaluation: evaluate, tune, split and report on interaction files or the interactions index.",
    subcommands = { EvaluateCommand.class, TuneCommand.class, SplitCommand.class, ReportCommand.class }
)
public final class EvaluationCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        CommandLines.main(new EvaluationCommand(), args);
    }
}
