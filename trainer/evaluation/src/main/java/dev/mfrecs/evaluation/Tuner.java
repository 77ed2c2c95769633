package dev.mfrecs.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Grid search without peeking at the test set: the protocol first splits the data into train and test, then splits the training
 * part again (same protocol, seed + 1) into fit and validation (strong generalization: validation users carved from the training
 * users). Every grid point is trained on the fit part and scored on validation; only the best point (highest validation metric,
 * lowest for {@code rmse} and {@code mae}) is retrained on the whole training part and scored on test. Given split files, the
 * validation and test splits are the files' ({@link SplitFiles}).
 */
public final class Tuner {

    /** One grid point's validation outcome. */
    public record Row(ModelSpec spec, EvalResult validation) {}

    /** The search outcome: every row in grid order, the best spec and its test result. */
    public record Outcome(String metric, Grid grid, List<Row> rows, ModelSpec best, EvalResult bestValidation, EvalResult test) {

        /** The {@code --best} file: the winning model and parameters (as {@code train} option names) and its scores. */
        public Map<String, Object> bestJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("model", best.model());
            out.put("params", best.orderedParams());
            out.put("metric", metric);
            out.put("validation", bestValidation.metrics());
            out.put("test", test.toJson());
            return out;
        }
    }

    private Tuner() {}

    public static Outcome tune(String model, Map<String, String> baseParams, Grid grid, Interactions data, EvalOptions options,
                               String metric, Consumer<Row> progress) {
        checkGrid(model, grid, options, metric);
        PairSplit outer = Splitter.split(data, options);
        Interactions trainPart = data.subset(outer.train());
        EvalOptions inner = options.withSeed(options.seed() + 1);
        if (options.protocol() == Protocol.RATINGS) {
            return search(model, baseParams, grid, metric, progress, spec -> Evaluator.evaluate(spec, trainPart, inner),
                best -> Evaluator.evaluateRatings(best, data, new PairSplit[] { outer }, options));
        }
        PairSplit validation = carveValidation(data, outer, options);
        return search(model, baseParams, grid, metric, progress, spec -> Evaluator.evaluateSplit(spec, data, validation, inner),
            best -> Evaluator.evaluateSplit(best, data, outer, options));
    }

    /**
     * The validation split carved from {@code test}'s training pairs with the same protocol and seed + 1 (strong generalization:
     * validation users drawn from the training users), in {@code data}'s indices.
     */
    public static PairSplit carveValidation(Interactions data, PairSplit test, EvalOptions options) {
        return Splitter.split(data.subset(test.train()), options.withSeed(options.seed() + 1)).within(test.train());
    }

    /**
     * Grid search on given splits of one {@code data} (e.g. files a user fixed elsewhere: {@code --train}, {@code --validation-foldin},
     * {@code --validation-heldout}, {@code --test-foldin}, {@code --test-heldout}): every grid point trains on {@code validation.train()}
     * and is scored on the validation split; the best is trained on {@code test.train()} and scored on the test split.
     */
    public static Outcome tune(String model, Map<String, String> baseParams, Grid grid, Interactions data, EvalOptions options,
                               String metric, Consumer<Row> progress, PairSplit validation, PairSplit test) {
        checkGrid(model, grid, options, metric);
        if (options.protocol() == Protocol.RATINGS) {
            throw new IllegalArgumentException("[--protocol] [ratings] does not take split files");
        }
        return search(model, baseParams, grid, metric, progress, spec -> Evaluator.evaluateSplit(spec, data, validation, options),
            best -> Evaluator.evaluateSplit(best, data, test, options));
    }

    private static void checkGrid(String model, Grid grid, EvalOptions options, String metric) {
        for (String name : grid.names()) {
            if (ModelSpec.defaults(model).containsKey(name) == false) {
                throw new IllegalArgumentException("[--grid] unknown parameter [" + name + "] for model [" + model + "]; known: "
                    + ModelSpec.defaults(model).keySet());
            }
        }
        if (options.protocol() == Protocol.RATINGS && lowerIsBetter(metric) == false) {
            throw new IllegalArgumentException("[--metric] must be [rmse] or [mae] with protocol [ratings] (was [" + metric + "])");
        }
    }

    private static boolean lowerIsBetter(String metric) {
        return metric.equals("rmse") || metric.equals("mae");
    }

    private static Outcome search(String model, Map<String, String> baseParams, Grid grid, String metric, Consumer<Row> progress,
                                  Function<ModelSpec, EvalResult> validate, Function<ModelSpec, EvalResult> test) {
        boolean lowerIsBetter = lowerIsBetter(metric);
        List<Row> rows = new ArrayList<>();
        Row best = null;
        for (Map<String, String> point : grid.combinations()) {
            Map<String, String> params = new LinkedHashMap<>(baseParams);
            params.putAll(point);
            ModelSpec spec = ModelSpec.of(model, params);
            EvalResult r = validate.apply(spec);
            Row row = new Row(spec, r);
            rows.add(row);
            if (progress != null) {
                progress.accept(row);
            }
            double v = r.metric(metric);
            if (best == null || (lowerIsBetter ? v < best.validation().metric(metric) : v > best.validation().metric(metric))) {
                best = row;
            }
        }
        if (best == null) {
            throw new IllegalArgumentException("[--grid] is empty");
        }
        return new Outcome(metric, grid, rows, best.spec(), best.validation(), test.apply(best.spec()));
    }
}
