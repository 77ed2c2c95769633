package dev.mfrecs.trainer.cli;

import dev.mfrecs.trainer.eval.EvaluateCommand;
import dev.mfrecs.trainer.eval.ReportCommand;
import dev.mfrecs.trainer.eval.TuneCommand;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The trainer's command line ({@code mfrecs}): the production jobs, training and managing published models. Exit codes
 * are the ones of {@link CommandLines}.
 */
@Command(
    name = "mfrecs",
    mixinStandardHelpOptions = true,
    version = CommandLines.VERSION,
    description = "Matrix-factorization recommendations inside Elasticsearch.",
    subcommands = { DemoCommand.class, TrainCommand.class, ModelsCommand.class, EvaluateCommand.class, TuneCommand.class,
        ReportCommand.class, BenchServingCommand.class, LoadCommand.class }
)
public final class MfrecsCommand implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        CommandLines.main(new MfrecsCommand(), args);
    }
}
