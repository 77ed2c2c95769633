package dev.mfrecs.evaluation;

import dev.mfrecs.contract.DuplicatePolicy;

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

/** {@code recsys evaluate}: one or more models through one offline protocol, printed as a table and optionally written as JSON. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Evaluate models offline (leave-one-out, holdout, strong "
    + "generalization, ratings).")
public final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    ProtocolOptions protocol = new ProtocolOptions();

    @Option(names = "--algorithm", split = ",", defaultValue = "ials", description = "Algorithms, comma separated: ials, als, svd, "
        + "funk, popularity, item-knn, biases.")
    List<String> models = new ArrayList<>();

    @Option(names = "--param", description = "Model parameter, e.g. --param factors=32 --param alpha=20 (applies to every model that "
        + "has it).")
    Map<String, Double> params = new LinkedHashMap<>();

    @Option(names = "--json", description = "Write the results here: one object for one model, else an array.")
    Path json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        java.io.PrintWriter out = spec.commandLine().getOut();
        java.io.PrintWriter err = spec.commandLine().getErr();
        EvalOptions options = protocol.options();
        Map<DuplicatePolicy, Interactions> loaded = new EnumMap<>(DuplicatePolicy.class);
        List<EvalResult> results = new ArrayList<>();
        for (String model : models) {
            DuplicatePolicy policy = data.duplicatePolicy(model);
            if (loaded.containsKey(policy) == false) {
                Interactions read = data.load(policy);
                err.printf(Locale.ROOT, "data: %d users, %d items, %d pairs (repeated pairs: %s); protocol %s%n", read.userCount(),
                    read.itemCount(), read.size(), policy.id(), options.protocolName());
                loaded.put(policy, read);
            }
            Interactions interactions = loaded.get(policy);
            ModelSpec spec = ModelSpec.of(model, ProtocolOptions.applicable(model, params));
            EvalResult r = Evaluator.evaluate(spec, interactions, options);
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
}
