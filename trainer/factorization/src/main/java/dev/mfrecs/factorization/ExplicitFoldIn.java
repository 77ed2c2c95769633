package dev.mfrecs.factorization;

import java.util.Arrays;

/**
 * Query-time fold-in for a {@link BiasedModel} trained by {@link ExplicitAls}: computes a user's factors and bias from a rated
 * history against the fixed item side with the same kernel ({@link ExplicitRowSolver}) as a training row, so folding in a training
 * user's own ratings reproduces the user half-sweep. Allocation-free after construction; not thread-safe (one per thread).
 */
public final class ExplicitFoldIn {

    private final int factors;
    private final ExplicitRowSolver solver;
    private final double[] z;
    private final float[] p;

    public ExplicitFoldIn(int factors) {
        if (factors <= 0) {
            throw new IllegalArgumentException("ExplicitFoldIn: [factors] must be > 0 (was [" + factors + "])");
        }
        this.factors = factors;
        this.solver = new ExplicitRowSolver(factors);
        this.z = new double[factors + 1];
        this.p = new float[factors];
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

    /**
     * Explains the predicted score of one item for the folded-in user. The user's {@code [p, b_u]} is linear in the residuals
     * {@code t_j = r_j - mu - c_j}: {@code [p, b_u] = W sum_j t_j [q_j, 1]} with {@code W} the inverse of the row's regularized
     * augmented Gram matrix, so the ranking score {@code b_i + q_i . p} (the dot product of the published vectors
     * {@code (q_i, b_i) . (p, 1)}) splits into the item's bias and one contribution per rated item,
     * {@code s_j = t_j [q_i, 0]^T W [q_j, 1]}. Writes the {@code k} contributions and returns the score.
     *
     * @param itemVector    the explained item's {@code d} factors
     * @param itemBias      the explained item's bias {@code b_i}
     * @param contributions receives {@code k} floats
     */
    public float explain(float globalMean, float regularization, float[] historyVectors, float[] historyBiases, float[] ratings, int k,
                         float[] itemVector, float itemBias, float[] contributions) {
        CsrMatrix.requireLength("ExplicitFoldIn.explain", "itemVector", itemVector.length, factors);
        CsrMatrix.requireLength("ExplicitFoldIn.explain", "contributions", contributions.length, k);
        foldIn(globalMean, regularization, historyVectors, historyBiases, ratings, k, p);
        if (k == 0) {
            return itemBias;
        }
        for (int i = 0; i < factors; i++) {
            z[i] = itemVector[i];
        }
        z[factors] = 0;
        solver.solveFactored(z);
        for (int j = 0; j < k; j++) {
            double t = (double) ratings[j] - globalMean - historyBiases[j];
            double zy = z[factors];
            for (int i = 0; i < factors; i++) {
                zy += z[i] * historyVectors[j * factors + i];
            }
            contributions[j] = (float) (t * zy);
        }
        return itemBias + Vectors.dot(itemVector, 0, p, 0, factors);
    }

    /**
     * The per-rated-item vectors behind {@link #explain}: {@code u_j = t_j (W [q_j, 1])} restricted to the factors, so that rated
     * item {@code j} contributes {@code q_i . u_j} to the score {@code b_i + q_i . p} of any item {@code i}. One factorization serves
     * every explained item. Writes {@code k x stride} floats, the first {@code d} of each row set and the rest zero (so a published
     * vector {@code (q_i, b_i)} of {@code stride = d + 1} dims can be multiplied as is).
     *
     * @param out    receives {@code k * stride} floats, row-major
     * @param stride the row length of {@code out}, at least {@code d}
     */
    public void contributionVectors(float globalMean, float regularization, float[] historyVectors, float[] historyBiases, float[] ratings,
                                    int k, float[] out, int stride) {
        if (stride < factors) {
            throw new IllegalArgumentException("ExplicitFoldIn.contributionVectors: [stride] must be >= [" + factors + "] (was [" + stride
                + "])");
        }
        CsrMatrix.requireLength("ExplicitFoldIn.contributionVectors", "out", out.length, (long) k * stride);
        foldIn(globalMean, regularization, historyVectors, historyBiases, ratings, k, p);
        Arrays.fill(out, 0, k * stride, 0f);
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < factors; i++) {
                z[i] = historyVectors[j * factors + i];
            }
            z[factors] = 1;
            solver.solveFactored(z);
            double t = (double) ratings[j] - globalMean - historyBiases[j];
            for (int i = 0; i < factors; i++) {
                out[j * stride + i] = (float) (t * z[i]);
            }
        }
    }
}
