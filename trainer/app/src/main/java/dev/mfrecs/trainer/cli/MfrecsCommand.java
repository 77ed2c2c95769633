package dev.mfrecs.trainer.cli;

import dev.mfrecs.trainer.eval.EvaluateCommand;
import dev.mfrecs.trainer.eval.ReportCommand;
import dev.mfrecs.trainer.eval.TuneCommand;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The trainer's command line ({@code mfrecs}): the production jobs, training and managing published models. Exit codes
 * are the ones of {@link CommandLines}.
 */
@Command(
    name = "mfrecs",
    mixinStandardHelpOptions = true,
    version = CommandLines.VERSION,
    description = "Matrix-factorization recommendations inside Elasticsearch.",
    subcommands = { TrainCommand.class, ModelsCommand.class, EvaluateCommand.class, TuneCommand.class, ReportCommand.class }
)
public final class MfrecsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        CommandLines.main(new MfrecsCommand(), args);
    }
}
