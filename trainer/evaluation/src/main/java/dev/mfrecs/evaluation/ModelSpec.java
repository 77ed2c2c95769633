package dev.mfrecs.evaluation;

import dev.mfrecs.trainer.settings.AlgorithmSettings;
import dev.mfrecs.trainer.train.Algorithm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model name and its hyper-parameters: the unit of {@code evaluate}, of each {@code tune} grid point and of the {@code --best} file.
 * The four factorizations take their parameters, defaults and checks from the trainer's {@link AlgorithmSettings} (the same table
 * {@code train} uses, so a {@code --best} file trains exactly what was tuned); the evaluation-only baselines keep their few parameters
 * in {@link #BASELINES}. Values are {@link Integer}, {@link Double} or a choice {@link String} (e.g. {@code confidence=log}).
 *
 * @param settings the factorization's settings (seed and threads are set per run), or null for a baseline
 */
public record ModelSpec(String model, Map<String, Object> params, AlgorithmSettings settings) {

    /** The model names, in the order tables list them. */
    public static final List<String> MODELS = List.of("ials", "als", "svd", "funk", "popularity", "item-knn", "biases");
    /** The algorithms that predict ratings: repeated ratings of a pair default to the last one, as {@code train --input} does. */
    public static final List<String> RATING_MODELS = List.of("als", "funk", "biases");

    /** The baselines' parameters and defaults (whole numbers are counts). */
    static final Map<String, Map<String, Object>> BASELINES = Map.of(
        "popularity", Map.of(),
        "item-knn", Map.of("neighbors", 100),
        "biases", orderedOf("iterations", 10, "bias-regularization", 5.0));

    public ModelSpec {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * The model's default parameters overridden by {@code overrides} (name to text, as in {@code --param factors=32}); unknown models
     * or parameters and bad values are rejected naming {@code --param}.
     */
    public static ModelSpec of(String model, Map<String, String> overrides) {
        Algorithm algorithm = algorithm(model);
        if (algorithm != null) {
            AlgorithmSettings s = AlgorithmSettings.of(algorithm, overrides, 42L, 1, name -> "--param] [" + name);
            return new ModelSpec(model, s.values(), s);
        }
        Map<String, Object> p = new LinkedHashMap<>(baseline(model));
        for (var e : overrides.entrySet()) {
            Object dflt = p.get(e.getKey());
            if (dflt == null) {
                throw new IllegalArgumentException("[--param] unknown parameter [" + e.getKey() + "] for model [" + model + "]; known: "
                    + p.keySet());
            }
            p.put(e.getKey(), number(e.getKey(), e.getValue(), dflt instanceof Integer));
        }
        return new ModelSpec(model, p, null);
    }

    /** The model's parameters with their defaults, in table order; unknown models are rejected. */
    static Map<String, Object> defaults(String model) {
        Algorithm algorithm = algorithm(model);
        return algorithm != null ? AlgorithmSettings.defaults(algorithm, 42L, 1).values() : baseline(model);
    }

    /** The parameters in the model's default order (for tables and JSON). */
    public Map<String, Object> orderedParams() {
        return params;
    }

    public ModelSpec with(String name, String value) {
        Map<String, String> p = new LinkedHashMap<>();
        params.forEach((k, v) -> p.put(k, String.valueOf(v)));
        p.put(name, value);
        return of(model, p);
    }

    /** A fresh, untrained recommender for these parameters. */
    public Recommender create(long seed, int threads) {
        if (settings != null) {
            return switch (settings.withRun(seed, threads)) {
                case AlgorithmSettings.Ials s -> new IalsRecommender(s.params());
                case AlgorithmSettings.Als s -> BiasedRecommender.explicitAls(s.params());
                case AlgorithmSettings.Svd s -> new PureSvdRecommender(s.params());
                case AlgorithmSettings.Funk s -> BiasedRecommender.funkSvd(s.params());
            };
        }
        return switch (model) {
            case "popularity" -> new PopularityRecommender();
            case "item-knn" -> new ItemKnnRecommender((Integer) params.get("neighbors"), threads);
            case "biases" -> new BiasesRecommender((Integer) params.get("iterations"), ((Double) params.get("bias-regularization"))
                .floatValue());
            default -> throw new IllegalArgumentException("[--algorithm] must be one of " + MODELS + " (was [" + model + "])");
        };
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

    /** A parameter value as written: whole numbers without a decimal point, other numbers in shortest form, words as they are. */
    public static String format(Object v) {
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e9 ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
        }
        return String.valueOf(v);
    }

    private static Algorithm algorithm(String model) {
        return switch (model) {
            case "ials" -> Algorithm.IALS;
            case "als" -> Algorithm.ALS;
            case "svd" -> Algorithm.SVD;
            case "funk" -> Algorithm.FUNK;
            default -> null;
        };
    }

    private static Map<String, Object> baseline(String model) {
        Map<String, Object> p = BASELINES.get(model);
        if (p == null) {
            throw new IllegalArgumentException("[--algorithm] must be one of " + MODELS + " (was [" + model + "])");
        }
        return p;
    }

    private static Object number(String name, String text, boolean whole) {
        double v;
        try {
            v = Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[--param] [" + name + "] must be a number (was [" + text + "])", e);
        }
        if (Double.isFinite(v) == false || v < 0) {
            throw new IllegalArgumentException("[--param] [" + name + "] must be finite and >= 0 (was [" + text + "])");
        }
        if (whole) {
            if (v != Math.rint(v) || v < 1 || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("[--param] [" + name + "] must be a whole number >= 1 (was [" + text + "])");
            }
            return (int) v;
        }
        return v;
    }

    private static Map<String, Object> orderedOf(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return Collections.unmodifiableMap(m);
    }
}
