package dev.mfrecs.trainer.train;

import java.util.Locale;

/**
 * The factorizations the trainer offers, named as on the command line. Exists so the CLI, the offline trainer and the
 * model files agree on one spelling and on which models carry biases.
 */
public enum Algorithm {
    /** Implicit ALS (Hu, Koren, Volinsky 2008): dot-product model with a Gram matrix for fold-in. */
    IALS,
    /** Explicit ALS with user and item biases: {@code mu + b_u + b_i + p_u . q_i}. */
    ALS,
    /** PureSVD (Cremonesi, Koren, Turrin 2010): a truncated SVD, dot-product model. */
    SVD,
    /** Funk SVD by SGD with user and item biases. */
    FUNK;

    /** True for the rating models whose files carry a bias column. */
    public boolean biased() {
        return this == ALS || this == FUNK;
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a command-line name, naming the option and the bad value on error. */
    public static Algorithm parse(String s) {
        for (Algorithm a : values()) {
            if (a.cliName().equals(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("[--algorithm] must be one of [ials, als, svd, funk] (was [" + s + "])");
    }
}
