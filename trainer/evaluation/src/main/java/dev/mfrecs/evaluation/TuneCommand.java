package dev.mfrecs.evaluation;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recsys tune}: grid search on a validation split carved from the training data (or given as files); reports the winner's
 * test metrics and writes its parameters for {@code train --params}.
 */
@Command(name = "tune", mixinStandardHelpOptions = true, description = "Grid-search a model's parameters on a validation split carved "
    + "from the training data (or given as files), then score the best on the test split.")
public final class TuneCommand implements Callable<Integer> {

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    ProtocolOptions protocol = new ProtocolOptions();

    @Option(names = "--algorithm", defaultValue = "ials", description = "The algorithm to tune: ials, als, svd, funk, item-knn, "
        + "biases.")
    String model;

    @Option(names = "--grid", required = true, description = "Parameter values, e.g. --grid factors=64,128,256,512 --grid "
        + "regularization=1,10,100 --grid alpha=1,10,40 --grid confidence=linear,log --grid alpha0=0.01,0.1,1 --grid nu=0,0.5,1 "
        + "(any train hyper-parameter of the model; see train --help).")
    List<String> grid = new ArrayList<>();

    @Option(names = "--param", description = "Fixed parameter for every grid point, e.g. --param iterations=10 (the others keep the "
        + "defaults of train --help).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--metric", defaultValue = "ndcg@10", description = "Validation metric to select by ("
        + "rmse or mae for the ratings protocol).")
    String metric;

    @Option(names = "--best", description = "Write the best parameters (and their validation and test scores) here as JSON; "
        + "'recsys train --params FILE' reads it.")
    Path best;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EvalOptions options = protocol.options();
        Grid g = Grid.parse(grid);
        Consumer<Tuner.Row> progress = row -> {
            out.printf(Locale.ROOT, "%-60s %14.4f %10.2f%n", row.spec().label(g.names()), row.validation().metric(metric),
                row.validation().trainSeconds());
            out.flush();
        };
        Tuner.Outcome outcome;
        if (data.splitFiles()) {
            SplitFiles files = data.loadSplits(data.duplicatePolicy(model));
            ProtocolOptions.checkFiles(files, options);
            PairSplit validation = files.validation() != null ? files.validation()
                : Tuner.carveValidation(files.data(), files.test(), options);
            err.printf(Locale.ROOT, "split files: %d train, %d test pairs, validation %s (%d fold-in, %d pairs to rank); %d grid points%n",
                files.test().train().length, files.test().test().length, files.validation() != null ? "from files" : "carved from --train",
                validation.foldIn().length, validation.test().length, g.combinations().size());
            out.printf(Locale.ROOT, "%-60s %14s %10s%n", "parameters", "valid " + metric, "train_s");
            outcome = Tuner.tune(model, params, g, files.data(), options, metric, progress, validation, files.test());
        } else {
            Interactions interactions = data.load(data.duplicatePolicy(model));
            err.printf(Locale.ROOT, "data: %d users, %d items, %d pairs; protocol %s; %d grid points%n", interactions.userCount(),
                interactions.itemCount(), interactions.size(), options.protocolName(), g.combinations().size());
            out.printf(Locale.ROOT, "%-60s %14s %10s%n", "parameters", "valid " + metric, "train_s");
            outcome = Tuner.tune(model, params, g, interactions, options, metric, progress);
        }
        out.println();
        out.println("best: " + outcome.best().label(new ArrayList<>(outcome.best().orderedParams().keySet())));
        out.printf(Locale.ROOT, "validation %s: %.4f%n", metric, outcome.bestValidation().metric(metric));
        out.println("test:");
        out.print(ResultTable.format(List.of(outcome.test())));
        if (best != null) {
            EvalResult.writeJson(best, outcome.bestJson());
        }
        out.flush();
        err.flush();
        return 0;
    }
}
