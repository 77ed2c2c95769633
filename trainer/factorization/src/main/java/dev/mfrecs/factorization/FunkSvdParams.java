package dev.mfrecs.factorization;

/**
 * The hyper-parameters of {@link FunkSvd}, validated at construction.
 *
 * @param factors        latent dimension, {@code > 0}
 * @param epochs         passes over the shuffled ratings, {@code >= 0}
 * @param learningRate   SGD step size, finite and {@code > 0}
 * @param regularization L2 penalty on factors and biases, finite and {@code >= 0}
 * @param initStd        standard deviation of the Gaussian factor initialization, finite and {@code >= 0}
 * @param seed           seed of initialization and shuffling
 */
public record FunkSvdParams(int factors, int epochs, float learningRate, float regularization, float initStd, long seed) {

    public FunkSvdParams {
        if (factors <= 0) {
            throw new IllegalArgumentException("FunkSvdParams: [factors] must be > 0 (was [" + factors + "])");
        }
        if (epochs < 0) {
            throw new IllegalArgumentException("FunkSvdParams: [epochs] must be >= 0 (was [" + epochs + "])");
        }
        if (Float.isFinite(learningRate) == false || learningRate <= 0) {
            throw new IllegalArgumentException("FunkSvdParams: [learningRate] must be finite and > 0 (was [" + learningRate + "])");
        }
        if (Float.isFinite(regularization) == false || regularization < 0) {
            throw new IllegalArgumentException("FunkSvdParams: [regularization] must be finite and >= 0 (was [" + regularization + "])");
        }
        if (Float.isFinite(initStd) == false || initStd < 0) {
            throw new IllegalArgumentException("FunkSvdParams: [initStd] must be finite and >= 0 (was [" + initStd + "])");
        }
    }

    /** The Surprise library's defaults: 20 epochs, learning rate 0.005, regularization 0.02, init std 0.1; seed 42. */
    public static FunkSvdParams defaults(int factors) {
        return new FunkSvdParams(factors, 20, 0.005f, 0.02f, 0.1f, 42L);
    }
}
