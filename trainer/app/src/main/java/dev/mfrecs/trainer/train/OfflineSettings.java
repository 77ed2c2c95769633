package dev.mfrecs.trainer.train;

import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;

/**
 * The resolved hyper-parameters of one offline training run, whatever the algorithm: what the CLI parsed, with each
 * algorithm's defaults filled in, in one value that {@link OfflineTrainer} consumes and {@code model.json} records.
 *
 * @param algorithm      which factorization
 * @param factors        latent dimension {@code d}
 * @param iterations     ALS sweeps, Funk SVD epochs, or PureSVD power iterations
 * @param regularization L2 penalty (ials, als, funk; unused by svd)
 * @param confidence     ials confidence function
 * @param solver         ials row solver
 * @param cgSteps        ials conjugate-gradient steps
 * @param learningRate   funk SGD step size
 * @param seed           the only source of randomness
 * @param threads        worker threads; results do not depend on it
 * @param rendle         ials unobserved weight and frequency-scaled regularization (Rendle et al. 2021; {@code NONE} is classic)
 */
public record OfflineSettings(Algorithm algorithm, int factors, int iterations, float regularization, Confidence confidence, Solver solver,
                              int cgSteps, float learningRate, long seed, int threads, ImplicitAlsParams.Rendle rendle) {

    public OfflineSettings {
        if (rendle == null) {
            throw new IllegalArgumentException("OfflineSettings: [rendle] must not be null (use Rendle.NONE)");
        }
        if (algorithm != Algorithm.IALS && rendle.equals(ImplicitAlsParams.Rendle.NONE) == false) {
            throw new IllegalArgumentException("[--alpha0] and [--nu] apply to --algorithm ials only (was [" + algorithm.cliName() + "])");
        }
    }

    /** Default iterations: 15 ALS sweeps, 20 Funk SVD epochs (Surprise), 2 PureSVD power iterations (Halko et al.). */
    public static int defaultIterations(Algorithm algorithm) {
        return switch (algorithm) {
            case IALS, ALS -> 15;
            case FUNK -> 20;
            case SVD -> 2;
        };
    }

    /** Default regularization: 0.1 for the ALS variants, 0.02 for Funk SVD (Surprise), unused by PureSVD. */
    public static float defaultRegularization(Algorithm algorithm) {
        return algorithm == Algorithm.FUNK ? 0.02f : algorithm == Algorithm.SVD ? 0f : 0.1f;
    }
}
