package dev.mfrecs.trainer.settings;

import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ConfidenceKind;
import dev.mfrecs.factorization.ExplicitAlsParams;
import dev.mfrecs.factorization.FunkSvdParams;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.PureSvdParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.trainer.train.Algorithm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.UnaryOperator;

/**
 * The hyper-parameters of one training run of one algorithm, one type per algorithm ({@link Ials}, {@link Als}, {@link Svd},
 * {@link Funk}), built from the one defaults table {@link #DEFAULTS}. It exists so that {@code train} (from a file or an index, on the
 * local or the Spark engine), {@code evaluate} and {@code tune} read parameters the same way: the same names, the same defaults, the
 * same checks, and the same error (naming the option) for a parameter the algorithm does not use, instead of each path keeping its own
 * defaults and silently ignoring what it does not need. Each type wraps the factorization library's parameter record, which the
 * trainers consume; {@link #values()} lists the hyper-parameters by name for {@code model.json}, {@code tune --best} and result tables.
 * The seed and the thread count belong to the run, not to the table.
 */
public sealed interface AlgorithmSettings permits AlgorithmSettings.Ials, AlgorithmSettings.Als, AlgorithmSettings.Svd,
    AlgorithmSettings.Funk {

    /**
     * The defaults of every algorithm, one row per {@link Hyperparameter}; {@code -}: the algorithm does not use it (and rejects it).
     * Sources: iALS as the trainer always shipped it (alpha for counts, CG with 3 steps as benfred/implicit), explicit ALS and Funk
     * SVD with the Surprise library's SGD settings, PureSVD with Halko et al.'s oversampling and power iterations.
     */
    String TABLE = """
        parameter       ials    als  svd  funk
        factors         64      32   64   32
        iterations      15      15   2    20
        regularization  0.1     0.1  -    0.02
        alpha           10      -    -    -
        confidence      linear  -    -    -
        epsilon         1       -    -    -
        solver          cg      -    -    -
        cg-steps        3       -    -    -
        alpha0          1       -    -    -
        nu              0       -    -    -
        learning-rate   -       -    -    0.005
        init-std        -       -    -    0.1
        oversampling    -       -    10   -
        """;

    /** {@link #TABLE} parsed: per algorithm, its parameters in table order with their default text. */
    Map<Algorithm, Map<Hyperparameter, String>> DEFAULTS = Defaults.parse(TABLE);

    Algorithm algorithm();

    /** Latent dimension d. */
    int factors();

    /** ALS sweeps, SGD epochs or power iterations. */
    int iterations();

    long seed();

    int threads();

    /** The hyper-parameters by name, in table order ({@link Integer}, {@link Double} or a choice {@link String}). */
    Map<String, Object> values();

    /** The same hyper-parameters with another seed and thread count. */
    AlgorithmSettings withRun(long seed, int threads);

    /** The table's defaults of {@code algorithm}. */
    static AlgorithmSettings defaults(Algorithm algorithm, long seed, int threads) {
        return of(algorithm, Map.of(), seed, threads, name -> "--" + name);
    }

    /**
     * The settings of {@code algorithm}: the table's defaults overridden by {@code given} (parameter name to text, e.g. from the
     * command line or a {@code tune --best} file). A name that is not a hyper-parameter, a parameter {@code algorithm} does not use and
     * a bad value are {@link IllegalArgumentException}s naming the option as {@code option} spells it (e.g. {@code --alpha0} or
     * {@code --param alpha0}), which the commands turn into exit code 2.
     */
    static AlgorithmSettings of(Algorithm algorithm, Map<String, String> given, long seed, int threads, UnaryOperator<String> option) {
        Map<Hyperparameter, String> defaults = DEFAULTS.get(algorithm);
        Map<Hyperparameter, Object> v = new EnumMap<>(Hyperparameter.class);
        for (var e : defaults.entrySet()) {
            v.put(e.getKey(), e.getKey().parse(e.getValue(), e.getKey().cliName()));
        }
        for (var e : given.entrySet()) {
            Hyperparameter h = Hyperparameter.byName(e.getKey());
            if (h == null) {
                throw new IllegalArgumentException("[" + option.apply(e.getKey()) + "] is not a hyper-parameter of any algorithm; known: "
                    + names());
            }
            if (defaults.containsKey(h) == false) {
                throw new IllegalArgumentException("[" + option.apply(h.cliName()) + "] is not used by algorithm [" + algorithm.cliName()
                    + "] (only by " + users(h) + ")");
            }
            v.put(h, h.parse(e.getValue(), option.apply(h.cliName())));
        }
        return switch (algorithm) {
            case IALS -> {
                ConfidenceKind kind = ConfidenceKind.valueOf(((String) v.get(Hyperparameter.CONFIDENCE)).toUpperCase(Locale.ROOT));
                Solver solver = Solver.valueOf(((String) v.get(Hyperparameter.SOLVER)).toUpperCase(Locale.ROOT));
                Confidence confidence = new Confidence(kind, real(v, Hyperparameter.ALPHA), real(v, Hyperparameter.EPSILON));
                ImplicitAlsParams.Rendle rendle = new ImplicitAlsParams.Rendle(real(v, Hyperparameter.ALPHA0), real(v, Hyperparameter.NU));
                yield new Ials(new ImplicitAlsParams(integer(v, Hyperparameter.FACTORS), integer(v, Hyperparameter.ITERATIONS),
                    real(v, Hyperparameter.REGULARIZATION), confidence, solver, integer(v, Hyperparameter.CG_STEPS), seed, threads,
                    rendle));
            }
            case ALS -> new Als(new ExplicitAlsParams(integer(v, Hyperparameter.FACTORS), integer(v, Hyperparameter.ITERATIONS),
                real(v, Hyperparameter.REGULARIZATION), seed, threads));
            case SVD -> new Svd(new PureSvdParams(integer(v, Hyperparameter.FACTORS), integer(v, Hyperparameter.OVERSAMPLING),
                integer(v, Hyperparameter.ITERATIONS), seed, threads));
            case FUNK -> new Funk(new FunkSvdParams(integer(v, Hyperparameter.FACTORS), integer(v, Hyperparameter.ITERATIONS),
                real(v, Hyperparameter.LEARNING_RATE), real(v, Hyperparameter.REGULARIZATION), real(v, Hyperparameter.INIT_STD), seed),
                threads);
        };
    }

    /** Implicit ALS settings from already-built parameters (tests and library callers). */
    static Ials of(ImplicitAlsParams params) {
        return new Ials(params);
    }

    /** The algorithms that use {@code h}, in table order. */
    static List<String> users(Hyperparameter h) {
        List<String> out = new ArrayList<>();
        for (var e : DEFAULTS.entrySet()) {
            if (e.getValue().containsKey(h)) {
                out.add(e.getKey().cliName());
            }
        }
        return out;
    }

    /** Every hyper-parameter name. */
    static List<String> names() {
        List<String> out = new ArrayList<>();
        for (Hyperparameter h : Hyperparameter.values()) {
            out.add(h.cliName());
        }
        return out;
    }

    /**
     * {@code h}'s meaning and its defaults per algorithm from the table, e.g. {@code "Latent dimension d. Default: 64 (ials, svd),
     * 32 (als, funk)."}: the help text of {@code --factors}, so the help can never disagree with the table.
     */
    static String describe(Hyperparameter h) {
        Map<String, List<String>> byValue = new LinkedHashMap<>();
        for (var e : DEFAULTS.entrySet()) {
            String d = e.getValue().get(h);
            if (d != null) {
                byValue.computeIfAbsent(d, k -> new ArrayList<>()).add(e.getKey().cliName());
            }
        }
        StringJoiner defaults = new StringJoiner(", ", " Default: ", ".");
        int used = byValue.values().stream().mapToInt(List::size).sum();
        for (var e : byValue.entrySet()) {
            defaults.add(e.getKey() + (used == DEFAULTS.size() && byValue.size() == 1 ? "" : " (" + String.join(", ", e.getValue()) + ")"));
        }
        String only = used == DEFAULTS.size() ? "" : " Only " + String.join(", ", users(h)) + "; rejected for the others.";
        return h.meaning() + defaults + only;
    }

    private static int integer(Map<Hyperparameter, Object> v, Hyperparameter h) {
        return (Integer) v.get(h);
    }

    private static float real(Map<Hyperparameter, Object> v, Hyperparameter h) {
        return ((Double) v.get(h)).floatValue();
    }

    /** A float as the decimal it was written as ({@code 0.1f} is 0.1, not 0.10000000149011612). */
    private static Double decimal(float f) {
        return Double.valueOf(Float.toString(f));
    }

    /** Implicit ALS (Hu, Koren, Volinsky 2008), with the Rendle et al. 2021 options. */
    record Ials(ImplicitAlsParams params) implements AlgorithmSettings {

        public Ials {
            if (params == null) {
                throw new IllegalArgumentException("AlgorithmSettings.Ials: [params] must not be null");
            }
        }

        @Override
        public Algorithm algorithm() {
            return Algorithm.IALS;
        }

        @Override
        public int factors() {
            return params.factors();
        }

        @Override
        public int iterations() {
            return params.iterations();
        }

        @Override
        public long seed() {
            return params.seed();
        }

        @Override
        public int threads() {
            return params.threads();
        }

        @Override
        public Map<String, Object> values() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("factors", params.factors());
            out.put("iterations", params.iterations());
            out.put("regularization", decimal(params.regularization()));
            out.put("alpha", decimal(params.confidence().alpha()));
            out.put("confidence", params.confidence().kind().name().toLowerCase(Locale.ROOT));
            out.put("epsilon", decimal(params.confidence().epsilon()));
            out.put("solver", params.solver().name().toLowerCase(Locale.ROOT));
            out.put("cg-steps", params.cgSteps());
            out.put("alpha0", decimal(params.rendle().alpha0()));
            out.put("nu", decimal(params.rendle().nu()));
            return Collections.unmodifiableMap(out);
        }

        @Override
        public Ials withRun(long seed, int threads) {
            return new Ials(new ImplicitAlsParams(params.factors(), params.iterations(), params.regularization(), params.confidence(),
                params.solver(), params.cgSteps(), seed, threads, params.rendle()));
        }
    }

    /** Explicit ALS with user and item biases. */
    record Als(ExplicitAlsParams params) implements AlgorithmSettings {

        public Als {
            if (params == null) {
                throw new IllegalArgumentException("AlgorithmSettings.Als: [params] must not be null");
            }
        }

        @Override
        public Algorithm algorithm() {
            return Algorithm.ALS;
        }

        @Override
        public int factors() {
            return params.factors();
        }

        @Override
        public int iterations() {
            return params.iterations();
        }

        @Override
        public long seed() {
            return params.seed();
        }

        @Override
        public int threads() {
            return params.threads();
        }

        @Override
        public Map<String, Object> values() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("factors", params.factors());
            out.put("iterations", params.iterations());
            out.put("regularization", decimal(params.regularization()));
            return Collections.unmodifiableMap(out);
        }

        @Override
        public Als withRun(long seed, int threads) {
            return new Als(new ExplicitAlsParams(params.factors(), params.iterations(), params.regularization(), seed, threads));
        }
    }

    /** PureSVD: a randomized truncated SVD; {@code iterations} are its power iterations. */
    record Svd(PureSvdParams params) implements AlgorithmSettings {

        public Svd {
            if (params == null) {
                throw new IllegalArgumentException("AlgorithmSettings.Svd: [params] must not be null");
            }
        }

        @Override
        public Algorithm algorithm() {
            return Algorithm.SVD;
        }

        @Override
        public int factors() {
            return params.factors();
        }

        @Override
        public int iterations() {
            return params.powerIterations();
        }

        @Override
        public long seed() {
            return params.seed();
        }

        @Override
        public int threads() {
            return params.threads();
        }

        @Override
        public Map<String, Object> values() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("factors", params.factors());
            out.put("iterations", params.powerIterations());
            out.put("oversampling", params.oversampling());
            return Collections.unmodifiableMap(out);
        }

        @Override
        public Svd withRun(long seed, int threads) {
            return new Svd(new PureSvdParams(params.factors(), params.oversampling(), params.powerIterations(), seed, threads));
        }
    }

    /** Funk SVD by SGD, with biases; single-threaded ({@code threads} is kept for the record only). */
    record Funk(FunkSvdParams params, int threads) implements AlgorithmSettings {

        public Funk {
            if (params == null) {
                throw new IllegalArgumentException("AlgorithmSettings.Funk: [params] must not be null");
            }
        }

        @Override
        public Algorithm algorithm() {
            return Algorithm.FUNK;
        }

        @Override
        public int factors() {
            return params.factors();
        }

        @Override
        public int iterations() {
            return params.epochs();
        }

        @Override
        public long seed() {
            return params.seed();
        }

        @Override
        public Map<String, Object> values() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("factors", params.factors());
            out.put("iterations", params.epochs());
            out.put("regularization", decimal(params.regularization()));
            out.put("learning-rate", decimal(params.learningRate()));
            out.put("init-std", decimal(params.initStd()));
            return Collections.unmodifiableMap(out);
        }

        @Override
        public Funk withRun(long seed, int threads) {
            return new Funk(new FunkSvdParams(params.factors(), params.epochs(), params.learningRate(), params.regularization(),
                params.initStd(), seed), threads);
        }
    }

    /** Parses {@link #TABLE}; a malformed table fails class initialization, which the tests load. */
    final class Defaults {

        private Defaults() {}

        static Map<Algorithm, Map<Hyperparameter, String>> parse(String table) {
            List<String> lines = table.lines().map(String::strip).filter(l -> l.isEmpty() == false).toList();
            String[] header = lines.get(0).split("\\s+");
            Map<Algorithm, Map<Hyperparameter, String>> out = new EnumMap<>(Algorithm.class);
            List<Algorithm> columns = new ArrayList<>();
            for (int c = 1; c < header.length; c++) {
                Algorithm a = Algorithm.parse(header[c]);
                columns.add(a);
                out.put(a, new LinkedHashMap<>());
            }
            if (columns.size() != Algorithm.values().length) {
                throw new IllegalStateException("AlgorithmSettings.TABLE: one column per algorithm expected, got " + columns);
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split("\\s+");
                Hyperparameter h = Hyperparameter.byName(cells[0]);
                if (h == null || cells.length != header.length) {
                    throw new IllegalStateException("AlgorithmSettings.TABLE: bad row [" + line + "]");
                }
                for (int c = 1; c < cells.length; c++) {
                    if (cells[c].equals("-") == false) {
                        h.parse(cells[c], h.cliName());
                        out.get(columns.get(c - 1)).put(h, cells[c]);
                    }
                }
            }
            out.replaceAll((a, m) -> Collections.unmodifiableMap(m));
            return Collections.unmodifiableMap(out);
        }
    }
}
