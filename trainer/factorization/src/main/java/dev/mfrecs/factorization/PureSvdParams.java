package dev.mfrecs.factorization;

/**
 * The parameters of {@link PureSvd}'s randomized truncated SVD (Halko, Martinsson, Tropp 2011), validated at construction.
 *
 * @param factors         number of singular triplets kept, {@code > 0} and at most {@code min(users, items)}
 * @param oversampling    extra sketch columns beyond {@code factors}, {@code >= 0} (10 is typical)
 * @param powerIterations subspace iterations, {@code >= 0}; each sharpens the separation of the kept spectrum (2 is typical)
 * @param seed            seed of the Gaussian test matrix
 * @param threads         worker threads, {@code > 0}; results do not depend on it
 */
public record PureSvdParams(int factors, int oversampling, int powerIterations, long seed, int threads) {

    public PureSvdParams {
        if (factors <= 0) {
            throw new IllegalArgumentException("PureSvdParams: [factors] must be > 0 (was [" + factors + "])");
        }
        if (oversampling < 0) {
            throw new IllegalArgumentException("PureSvdParams: [oversampling] must be >= 0 (was [" + oversampling + "])");
        }
        if (powerIterations < 0) {
            throw new IllegalArgumentException("PureSvdParams: [powerIterations] must be >= 0 (was [" + powerIterations + "])");
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("PureSvdParams: [threads] must be > 0 (was [" + threads + "])");
        }
    }

    /** Oversampling 10, 2 power iterations, seed 42, one thread per available processor. */
    public static PureSvdParams defaults(int factors) {
        return new PureSvdParams(factors, 10, 2, 42L, Runtime.getRuntime().availableProcessors());
    }
}
