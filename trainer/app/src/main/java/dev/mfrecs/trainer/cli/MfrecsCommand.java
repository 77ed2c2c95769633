package dev.mfrecs.trainer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The trainer's command line ({@code mfrecs}, the release binary): the production jobs only, preparing a cluster, training (from
 * an index or a file) and managing published model versions. Offline evaluation ({@code mfrecs-eval}) and the dev kit
 * ({@code mfrecs-dev}) are programs of their own. Exit codes are the ones of {@link CommandLines}.
 */
@Command(
    name = "mfrecs",
    mixinStandardHelpOptions = true,
    description = "Set up a cluster, train matrix-factorization models (from an Elasticsearch index or a file) and manage the "
        + "published versions.",
    subcommands = { SetupCommand.class, TrainCommand.class, ModelsCommand.class, RefreshItemsCommand.class }
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
