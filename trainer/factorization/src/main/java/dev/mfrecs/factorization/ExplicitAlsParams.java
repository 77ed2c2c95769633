package dev.mfrecs.factorization;

/**
 * The hyper-parameters of {@link ExplicitAls}, validated at construction.
 *
 * @param factors        latent dimension {@code d}, {@code > 0}
 * @param iterations     full sweeps (users then items), {@code >= 0}
 * @param regularization {@code lambda}, finite and {@code >= 0}; applied per rating ("weighted-lambda", see {@link ExplicitAls})
 * @param seed           seed of the random initialization
 * @param threads        worker threads, {@code > 0}; results do not depend on it
 */
public record ExplicitAlsParams(int factors, int iterations, float regularization, long seed, int threads) {

    public ExplicitAlsParams {
        if (factors <= 0) {
            throw new IllegalArgumentException("ExplicitAlsParams: [factors] must be > 0 (was [" + factors + "])");
        }
        if (iterations < 0) {
            throw new IllegalArgumentException("ExplicitAlsParams: [iterations] must be >= 0 (was [" + iterations + "])");
        }
        if (Float.isFinite(regularization) == false || regularization < 0) {
            throw new IllegalArgumentException(
                "ExplicitAlsParams: [regularization] must be finite and >= 0 (was [" + regularization + "])");
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("ExplicitAlsParams: [threads] must be > 0 (was [" + threads + "])");
        }
    }

    /** 15 iterations, regularization 0.1, seed 42, one thread per available processor. */
    public static ExplicitAlsParams defaults(int factors) {
        return new ExplicitAlsParams(factors, 15, 0.1f, 42L, Runtime.getRuntime().availableProcessors());
    }
}
