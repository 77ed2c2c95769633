package dev.mfrecs.factorization;

/**
 * Query-time fold-in for a {@link BiasedModel} trained by {@link ExplicitAls}: computes a user's factors and bias from a rated
 * history against the fixed item side with the same kernel ({@link ExplicitRowSolver}) as a training row, so folding in a training
 * user's own ratings reproduces the user half-sweep. Allocation-free after construction; not thread-safe (one per thread).
 */
public final class ExplicitFoldIn {

    private final int factors;
    private final ExplicitRowSolver solver;

    public ExplicitFoldIn(int factors) {
        if (factors <= 0) {
            throw new IllegalArgumentException("ExplicitFoldIn: [factors] must be > 0 (was [" + factors + "])");
        }
        this.factors = factors;
        this.solver = new ExplicitRowSolver(factors);
    }

    public int factors() {
        return factors;
    }

    /**
     * Writes the user's {@code d} factors to {@code out} and returns the user's bias.
     *
     * @param globalMean     the model's {@code mu}
     * @param regularization the training regularization ({@code lambda}, weighted by the history length)
     * @param historyVectors the {@code k} rated items' vectors, packed row-major ({@code k x d})
     * @param historyBiases  the {@code k} rated items' biases
     * @param ratings        the {@code k} ratings
     * @throws NotPositiveDefiniteException if the system is singular (only possible with zero regularization)
     */
    public float foldIn(float globalMean, float regularization, float[] historyVectors, float[] historyBiases, float[] ratings, int k,
                        float[] out) {
        if (k < 0) {
            throw new IllegalArgumentException("ExplicitFoldIn.foldIn: [k] must be >= 0 (was [" + k + "])");
        }
        if (Float.isFinite(regularization) == false || regularization < 0) {
            throw new IllegalArgumentException("ExplicitFoldIn.foldIn: [regularization] must be finite and >= 0 (was [" + regularization
                + "])");
        }
        CsrMatrix.requireLength("ExplicitFoldIn.foldIn", "historyVectors", historyVectors.length, (long) k * factors);
        CsrMatrix.requireLength("ExplicitFoldIn.foldIn", "historyBiases", historyBiases.length, k);
        CsrMatrix.requireLength("ExplicitFoldIn.foldIn", "ratings", ratings.length, k);
        CsrMatrix.requireLength("ExplicitFoldIn.foldIn", "out", out.length, factors);
        return solver.solve(historyVectors, historyBiases, null, ratings, 0, k, globalMean, regularization, out, 0, -1);
    }
}
