package dev.mfrecs.devkit.cli;

import dev.mfrecs.trainer.cli.CommandLines;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The dev kit's command line ({@code mfrecs-dev}): the tools for trying and measuring mfrecs on a local or running node
 * (the end-to-end demo, the serving benchmark, the load driver) and the synthetic rating log of the quality benchmarks, kept out of
 * the trainer's release jar. Exit codes are
 * the trainer's ({@link CommandLines}).
 */
@Command(
    name = "mfrecs-dev",
    mixinStandardHelpOptions = true,
    description = "mfrecs dev kit: demo, serving benchmark, load driver and replays against a real Elasticsearch node; synthetic "
        + "rating logs.",
    subcommands = { DemoCommand.class, BenchServingCommand.class, BenchSweepCommand.class, LoadCommand.class, ReplayCommand.class,
        ReplaySearchCommand.class, SynthRatingsCommand.class }
)
public final class DevkitCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        CommandLines.main(new DevkitCommand(), args);
    }
}
