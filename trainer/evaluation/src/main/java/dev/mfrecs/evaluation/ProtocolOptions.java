package dev.mfrecs.evaluation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.Option;

/** The protocol options {@code evaluate} and {@code tune} share, turned into a validated {@link EvalOptions}. */
public final class ProtocolOptions {

    @Option(names = "--protocol", defaultValue = "leave-one-out", description = "leave-one-out, holdout, strong or ratings.")
    String protocol;

    @Option(names = "--k", split = ",", defaultValue = "10,20", description = "Cutoffs of the @k metrics.")
    List<Integer> cutoffs;

    @Option(names = "--sampled", defaultValue = "0", description = "leave-one-out only: rank the held-out item among this many "
        + "sampled negatives (He et al. 2017 use 99); 0 = full ranking.")
    int sampled;

    @Option(names = "--holdout-fraction", defaultValue = "0.2", description = "Held-out fraction for holdout and ratings.")
    double holdoutFraction;

    @Option(names = "--strong-users", defaultValue = "0.2", description = "strong only: users held out for testing, a fraction in "
        + "(0, 1) or a number (e.g. 600); tune carves as many validation users from the rest.")
    double strongUsers;

    @Option(names = "--folds", defaultValue = "1", description = "ratings only: K-fold cross-validation (1 = one random split).")
    int folds;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the splits and the models.")
    long seed;

    @Option(names = "--threads", defaultValue = "0", description = "Worker threads; 0: all cores.")
    int threads;

    public EvalOptions options() {
        return new EvalOptions(Protocol.parse(protocol), cutoffs.stream().mapToInt(Integer::intValue).toArray(), sampled,
            holdoutFraction, strongUsers, folds, seed, threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
    }

    /** Checks that split files fit the protocol: fold-in files need {@code strong}, a plain test file the others but ratings. */
    static void checkFiles(SplitFiles files, EvalOptions options) {
        boolean strongFiles = files.strong();
        if (options.protocol() == Protocol.RATINGS) {
            throw new IllegalArgumentException("[--protocol] [ratings] splits the ratings itself; split files are for ranking protocols");
        }
        if (strongFiles && options.protocol() != Protocol.STRONG) {
            throw new IllegalArgumentException("[--test-foldin] and [--test-heldout] are strong generalization files: use --protocol "
                + "strong");
        }
        if (strongFiles == false && options.protocol() == Protocol.STRONG) {
            throw new IllegalArgumentException("[--protocol] [strong] needs [--test-foldin] and [--test-heldout] split files");
        }
    }

    /**
     * The subset of {@code params} that {@code model} knows, so one {@code --param factors=32} applies to several models; a name no
     * model knows is rejected.
     */
    static Map<String, String> applicable(String model, Map<String, String> params) {
        Map<String, Object> known = ModelSpec.defaults(model);
        Map<String, String> out = new LinkedHashMap<>();
        for (var e : params.entrySet()) {
            if (known.containsKey(e.getKey())) {
                out.put(e.getKey(), e.getValue());
            } else if (ModelSpec.MODELS.stream().noneMatch(m -> ModelSpec.defaults(m).containsKey(e.getKey()))) {
                throw new IllegalArgumentException("[--param] [" + e.getKey() + "] is not a parameter of any model");
            }
        }
        return out;
    }
}
