package dev.mfrecs.evaluation;

import dev.mfrecs.contract.DuplicatePolicy;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recsys evaluate}: one or more models through one offline protocol, on a log it splits or on split files fixed elsewhere,
 * printed as a table and optionally written as JSON (accuracy and beyond-accuracy figures per model).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Evaluate models offline (leave-one-out, holdout, strong "
    + "generalization, ratings) on a file, the Online Retail log, the interactions index or given split files.")
public final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    ProtocolOptions protocol = new ProtocolOptions();

    @Option(names = "--algorithm", split = ",", defaultValue = "ials", description = "Algorithms, comma separated: ials, als, svd, "
        + "funk, popularity, item-knn, biases.")
    List<String> models = new ArrayList<>();

    @Option(names = "--param", description = "Model parameter, e.g. --param factors=32 --param confidence=log (applies to every model "
        + "that has it; names and defaults as for train: see train --help).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--json", description = "Write the results here: one object for one model, else an array.")
    Path json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        EvalOptions options = protocol.options();
        for (String model : models) {
            ModelSpec.of(model, ProtocolOptions.applicable(model, params));
        }
        ItemAttributes attributes = data.itemAttributes();
        List<EvalResult> results = new ArrayList<>();
        Map<DuplicatePolicy, Prepared> prepared = new EnumMap<>(DuplicatePolicy.class);
        for (String model : models) {
            ModelSpec spec = ModelSpec.of(model, ProtocolOptions.applicable(model, params));
            DuplicatePolicy policy = data.duplicatePolicy(model);
            if (prepared.containsKey(policy) == false) {
                prepared.put(policy, prepare(policy, attributes, options, err));
            }
            Prepared p = prepared.get(policy);
            EvalResult r = p.split() == null ? Evaluator.evaluate(spec, p.interactions(), options)
                : Evaluator.evaluateSplit(spec, p.interactions(), p.split(), options, p.categories());
            err.printf(Locale.ROOT, "%s: trained in %.2fs%n", spec.model(), r.trainSeconds());
            results.add(r);
        }
        out.print(ResultTable.format(results));
        if (json != null) {
            EvalResult.writeJson(json, results.size() == 1 ? results.get(0).toJson() : results.stream().map(EvalResult::toJson).toList());
        }
        out.flush();
        err.flush();
        return 0;
    }

    /** The data as one duplicates policy reads it, split once for every algorithm that reads it so. */
    private record Prepared(Interactions interactions, PairSplit split, int[][] categories) {}

    /**
     * Loads (and, unless the data comes split or the protocol is ratings, splits) the data with repeated pairs combined by
     * {@code policy}: the algorithms that read the data alike are judged on the same split.
     */
    private Prepared prepare(DuplicatePolicy policy, ItemAttributes attributes, EvalOptions options, PrintWriter err)
        throws IOException {
        Interactions interactions;
        PairSplit split = null;
        if (data.splitFiles()) {
            SplitFiles files = data.loadSplits(policy);
            if (files.validation() != null) {
                throw new IllegalArgumentException("[--validation], [--validation-foldin] and [--validation-heldout] are for tune");
            }
            ProtocolOptions.checkFiles(files, options);
            interactions = files.data();
            split = files.test();
            err.printf(Locale.ROOT, "split files: %d train, %d fold-in, %d test pairs%s%n", split.train().length, split.foldIn().length,
                split.test().length, files.dropped() > 0 ? "; dropped " + files.dropped() + " pairs of items not in --train" : "");
        } else {
            interactions = data.load(policy);
            if (options.protocol() != Protocol.RATINGS) {
                split = Splitter.split(interactions, options);
            }
        }
        int[][] categories = attributes == null ? null : attributes.categoryIds(interactions.items());
        if (attributes != null) {
            err.printf(Locale.ROOT, "items: %d of %d described by [%s]%n", attributes.covered(interactions.items()),
                interactions.itemCount(), data.items);
        }
        err.printf(Locale.ROOT, "data: %d users, %d items, %d pairs (repeated pairs: %s); protocol %s%n", interactions.userCount(),
            interactions.itemCount(), interactions.size(), policy.id(), options.protocolName());
        return new Prepared(interactions, split, categories);
    }
}
