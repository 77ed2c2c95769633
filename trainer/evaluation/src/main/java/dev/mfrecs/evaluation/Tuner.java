package dev.mfrecs.evaluation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Grid search without peeking at the test set: the protocol first splits the data into train and test, then splits the training
 * part again (same protocol, seed + 1) into fit and validation. Every grid point is trained on the fit part and scored on
 * validation; only the best point (highest validation metric, lowest for {@code rmse} and {@code mae}) is retrained on the whole
 * training part and scored on test.
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

    public static Outcome tune(String model, Map<String, Double> baseParams, Grid grid, Interactions data, EvalOptions options,
                               String metric, Consumer<Row> progress) {
        for (String name : grid.names()) {
            if (ModelSpec.defaults(model).containsKey(name) == false) {
                throw new IllegalArgumentException("[--grid] unknown parameter [" + name + "] for model [" + model + "]; known: "
                    + ModelSpec.defaults(model).keySet());
            }
        }
        boolean lowerIsBetter = metric.equals("rmse") || metric.equals("mae");
        if (options.protocol() == Protocol.RATINGS && lowerIsBetter == false) {
            throw new IllegalArgumentException("[--metric] must be [rmse] or [mae] with protocol [ratings] (was [" + metric + "])");
        }
        PairSplit outer = Splitter.split(data, options);
        Interactions trainPart = data.subset(outer.train());
        EvalOptions inner = options.withSeed(options.seed() + 1);
        PairSplit validation = options.protocol() == Protocol.RATINGS ? null : Splitter.split(trainPart, inner);
        List<Row> rows = new ArrayList<>();
        Row best = null;
        for (Map<String, Double> point : grid.combinations()) {
            Map<String, Double> params = new HashMap<>(baseParams);
            params.putAll(point);
            ModelSpec spec = ModelSpec.of(model, params);
            EvalResult r = validation == null ? Evaluator.evaluate(spec, trainPart, inner)
                : Evaluator.evaluateSplit(spec, trainPart, validation, inner);
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
        EvalResult test = options.protocol() == Protocol.RATINGS
            ? Evaluator.evaluateRatings(best.spec(), data, new PairSplit[] { outer }, options)
            : Evaluator.evaluateSplit(best.spec(), data, outer, options);
        return new Outcome(metric, grid, rows, best.spec(), best.validation(), test);
    }
}
