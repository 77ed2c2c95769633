package dev.mfrecs.evaluation;

import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ExplicitAlsParams;
import dev.mfrecs.factorization.FunkSvdParams;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.PureSvdParams;
import dev.mfrecs.factorization.Solver;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model name and its numeric hyper-parameters, with every model's defaults in one place: the unit of {@code evaluate}, of each
 * {@code tune} grid point and of the {@code --best} file. Parameter names are the {@code train} option names without the leading dashes, so
 * the best parameters of {@code ials} can be passed to {@code train} as they are.
 */
public record ModelSpec(String model, Map<String, Double> params) {

    /** The model names, in the order tables list them. */
    public static final List<String> MODELS = List.of("ials", "als", "svd", "funk", "popularity", "item-knn", "biases");
    /** The algorithms that predict ratings: repeated ratings of a pair default to the last one, as {@code train --input} does. */
    public static final List<String> RATING_MODELS = List.of("als", "funk", "biases");

    public ModelSpec {
        params = Map.copyOf(params);
    }

    /** The model's default parameters overridden by {@code overrides}; unknown models or parameters are rejected. */
    public static ModelSpec of(String model, Map<String, Double> overrides) {
        Map<String, Double> p = defaults(model);
        for (var e : overrides.entrySet()) {
            if (p.containsKey(e.getKey()) == false) {
                throw new IllegalArgumentException("[--param] unknown parameter [" + e.getKey() + "] for model [" + model + "]; known: "
                    + p.keySet());
            }
            if (Double.isFinite(e.getValue()) == false) {
                throw new IllegalArgumentException("[--param] [" + e.getKey() + "] must be finite (was [" + e.getValue() + "])");
            }
            p.put(e.getKey(), e.getValue());
        }
        return new ModelSpec(model, p);
    }

    static Map<String, Double> defaults(String model) {
        Map<String, Double> p = new LinkedHashMap<>();
        switch (model) {
            case "ials" -> {
                p.put("factors", 64.0);
                p.put("iterations", 15.0);
                p.put("regularization", 0.1);
                p.put("alpha", 10.0);
                p.put("cg-steps", 3.0);
            }
            case "als" -> {
                p.put("factors", 32.0);
                p.put("iterations", 15.0);
                p.put("regularization", 0.1);
            }
            case "svd" -> {
                p.put("factors", 64.0);
                p.put("oversampling", 10.0);
                p.put("power-iterations", 2.0);
            }
            case "funk" -> {
                p.put("factors", 32.0);
                p.put("iterations", 20.0);
                p.put("learning-rate", 0.005);
                p.put("regularization", 0.02);
                p.put("init-std", 0.1);
            }
            case "popularity" -> {
            }
            case "item-knn" -> p.put("neighbors", 100.0);
            case "biases" -> {
                p.put("iterations", 10.0);
                p.put("bias-regularization", 5.0);
            }
            default -> throw new IllegalArgumentException("[--algorithm] must be one of " + MODELS + " (was [" + model + "])");
        }
        return p;
    }

    /** The parameters in the model's default order (for tables and JSON). */
    public Map<String, Double> orderedParams() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String k : defaults(model).keySet()) {
            out.put(k, params.get(k));
        }
        return out;
    }

    public ModelSpec with(String name, double value) {
        Map<String, Double> p = new LinkedHashMap<>(params);
        p.put(name, value);
        return of(model, p);
    }

    /** A fresh, untrained recommender for these parameters. */
    public Recommender create(long seed, int threads) {
        return switch (model) {
            case "ials" -> new IalsRecommender(new ImplicitAlsParams(intParam("factors"), intParam("iterations"),
                floatParam("regularization"), Confidence.linear(floatParam("alpha")), Solver.CG, intParam("cg-steps"), seed, threads));
            case "als" -> BiasedRecommender.explicitAls(new ExplicitAlsParams(intParam("factors"), intParam("iterations"),
                floatParam("regularization"), seed, threads));
            case "svd" -> new PureSvdRecommender(new PureSvdParams(intParam("factors"), intParam("oversampling"),
                intParam("power-iterations"), seed, threads));
            case "funk" -> BiasedRecommender.funkSvd(new FunkSvdParams(intParam("factors"), intParam("iterations"),
                floatParam("learning-rate"), floatParam("regularization"), floatParam("init-std"), seed));
            case "popularity" -> new PopularityRecommender();
            case "item-knn" -> new ItemKnnRecommender(intParam("neighbors"), threads);
            case "biases" -> new BiasesRecommender(intParam("iterations"), floatParam("bias-regularization"));
            default -> throw new IllegalArgumentException("[--algorithm] must be one of " + MODELS + " (was [" + model + "])");
        };
    }

    int intParam(String name) {
        double v = params.get(name);
        if (v != Math.rint(v)) {
            throw new IllegalArgumentException("[" + name + "] of model [" + model + "] must be an integer (was [" + v + "])");
        }
        return (int) v;
    }

    float floatParam(String name) {
        return params.get(name).floatValue();
    }

    /** e.g. {@code ials(factors=64, regularization=0.1)}, listing only the given parameter names. */
    public String label(List<String> names) {
        StringBuilder sb = new StringBuilder(model);
        if (names.isEmpty() == false) {
            sb.append('(');
            for (int j = 0; j < names.size(); j++) {
                sb.append(j == 0 ? "" : ", ").append(names.get(j)).append('=').append(format(params.get(names.get(j))));
            }
            sb.append(')');
        }
        return sb.toString();
    }

    public static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
