package dev.mfrecs.trainer.settings;

import java.util.List;
import java.util.Locale;

/**
 * Every hyper-parameter any of the four factorizations takes, named as on the command line ({@code train --cg-steps}, {@code evaluate
 * --param cg-steps=3}, a {@code tune --best} file's {@code "cg-steps"}), with its type and what it means. It exists so that every path
 * (train from a file or an index, the Spark engine, evaluate, tune) parses, checks and describes a parameter the same way; which
 * algorithm uses which parameter, and with which default, is {@link AlgorithmSettings#DEFAULTS}.
 */
public enum Hyperparameter {

    FACTORS("factors", Kind.INT, List.of(), 1, "Latent dimension d."),
    ITERATIONS("iterations", Kind.INT, List.of(), 0, "ials, als: ALS sweeps (users then items); funk: SGD epochs; svd: power iterations."),
    REGULARIZATION("regularization", Kind.FLOAT, List.of(), 0, "L2 penalty lambda (ials: per row; als: per rating; funk: per SGD step)."),
    ALPHA("alpha", Kind.FLOAT, List.of(), 0, "Confidence scale: linear c = 1 + alpha r, log c = 1 + alpha ln(1 + r / epsilon)."),
    CONFIDENCE("confidence", Kind.CHOICE, List.of("linear", "log"), 0, "How a value r becomes a confidence: linear or log."),
    EPSILON("epsilon", Kind.FLOAT, List.of(), Double.MIN_VALUE, "Scale of log confidence."),
    SOLVER("solver", Kind.CHOICE, List.of("cg", "cholesky"), 0, "Row solver: cg (conjugate gradient) or cholesky (exact)."),
    CG_STEPS("cg-steps", Kind.INT, List.of(), 1, "Conjugate-gradient steps per row and sweep."),
    ALPHA0("alpha0", Kind.FLOAT, List.of(), 0, "Weight of unobserved pairs (Rendle et al. 2021; 1 = classic)."),
    NU("nu", Kind.FLOAT, List.of(), 0, "Frequency-scaled regularization lambda (|I_u| + alpha0 |I|)^nu (Rendle et al. 2021; 0 = classic)."),
    LEARNING_RATE("learning-rate", Kind.FLOAT, List.of(), Double.MIN_VALUE, "SGD step size."),
    INIT_STD("init-std", Kind.FLOAT, List.of(), 0, "Standard deviation of the Gaussian factor initialization."),
    OVERSAMPLING("oversampling", Kind.INT, List.of(), 0, "Extra sketch columns of the randomized SVD (Halko et al. 2011).");

    /** How a value is written and parsed. */
    public enum Kind {
        /** A whole number; {@code 64} and {@code 64.0} both parse. */
        INT,
        /** A finite number. */
        FLOAT,
        /** One of {@link Hyperparameter#choices()}, case-insensitive. */
        CHOICE
    }

    private final String cliName;
    private final Kind kind;
    private final List<String> choices;
    private final double min;
    private final String meaning;

    /** {@code min}: the smallest accepted value of a number ({@link Double#MIN_VALUE}: must be {@code > 0}). */
    Hyperparameter(String cliName, Kind kind, List<String> choices, double min, String meaning) {
        this.cliName = cliName;
        this.kind = kind;
        this.choices = choices;
        this.min = min;
        this.meaning = meaning;
    }

    /** The name without dashes, as in {@code --cg-steps}, {@code --param cg-steps=3} and a {@code --best} file. */
    public String cliName() {
        return cliName;
    }

    public Kind kind() {
        return kind;
    }

    /** The accepted values of a {@link Kind#CHOICE}, lower case; empty otherwise. */
    public List<String> choices() {
        return choices;
    }

    /** What the parameter means, without its defaults. */
    public String meaning() {
        return meaning;
    }

    /** The parameter named {@code name} (as on the command line), or null. */
    public static Hyperparameter byName(String name) {
        for (Hyperparameter h : values()) {
            if (h.cliName.equals(name)) {
                return h;
            }
        }
        return null;
    }

    /**
     * Parses {@code text} into an {@link Integer}, a {@link Double} or a lower-case choice {@link String}; {@code option} names the
     * option in the error (e.g. {@code --factors} or {@code --param factors}).
     */
    public Object parse(String text, String option) {
        String s = text == null ? "" : text.strip();
        if (kind == Kind.CHOICE) {
            String v = s.toLowerCase(Locale.ROOT);
            if (choices.contains(v) == false) {
                throw new IllegalArgumentException("[" + option + "] must be one of " + choices + " (was [" + text + "])");
            }
            return v;
        }
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[" + option + "] must be a number (was [" + text + "])", e);
        }
        if (Double.isFinite(v) == false) {
            throw new IllegalArgumentException("[" + option + "] must be finite (was [" + text + "])");
        }
        if (kind == Kind.INT) {
            if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("[" + option + "] must be a whole number (was [" + text + "])");
            }
        }
        if (v < min) {
            throw new IllegalArgumentException("[" + option + "] must be " + (min == Double.MIN_VALUE ? "> 0" : ">= " + (long) min)
                + " (was [" + text + "])");
        }
        return kind == Kind.INT ? (Object) (int) v : (Object) v;
    }
}
