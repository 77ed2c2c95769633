package dev.mfrecs.factorization;

import java.util.Arrays;

/**
 * Query-time fold-in and explanation for implicit ALS: computes a user vector from an interaction history against the fixed item
 * side with the exact same kernel ({@link ImplicitRowSolver}, Cholesky) that training uses for one row,
 * <pre>
 *   x = (alpha0 YtY + Y_h^T (C_h - alpha0 I) Y_h + lambda_u I)^-1 Y_h^T C_h 1
 *   lambda_u = lambda (|h| + alpha0 |I|)^nu
 * </pre>
 * where {@code Y_h} holds the history items' vectors, {@code |h|} the number of observed history entries, {@code |I|} the number
 * of items the Gram matrix was computed over, and {@code alpha0, nu} are the Rendle et al. options the model was trained with
 * ({@link ImplicitAlsParams.Rendle}; the overloads without them use {@link ImplicitAlsParams.Rendle#NONE}). History entries with
 * value {@code <= 0} are ignored, as in training.
 * Allocation-free after construction: all scratch belongs to the instance, which is therefore not thread-safe (use one per thread).
 */
public final class ImplicitFoldIn {

    private final int factors;
    private final ImplicitRowSolver solver;
    private final double[] z;
    private final double[] x;

    public ImplicitFoldIn(int factors) {
        if (factors <= 0) {
            throw new IllegalArgumentException("ImplicitFoldIn: [factors] must be > 0 (was [" + factors + "])");
        }
        this.factors = factors;
        this.solver = new ImplicitRowSolver(factors);
        this.z = new double[factors];
        this.x = new double[factors];
    }

    public int factors() {
        return factors;
    }

    /**
     * Writes the folded-in user vector ({@code d} floats) to {@code out}.
     *
     * @param gram           {@code YtY} of the whole item side ({@link Gram#compute}), {@code d x d}
     * @param historyVectors the {@code k} history items' vectors, packed row-major ({@code k x d})
     * @param values         the {@code k} raw interaction values (confidence is computed here)
     * @throws NotPositiveDefiniteException if the system is singular (only possible with tiny regularization)
     */
    public void foldIn(float[] gram, float regularization, Confidence confidence, float[] historyVectors, float[] values, int k,
                       float[] out) {
        foldIn(gram, regularization, confidence, ImplicitAlsParams.Rendle.NONE, 0, historyVectors, values, k, out);
    }

    /**
     * As {@link #foldIn(float[], float, Confidence, float[], float[], int, float[])} for a model trained with the Rendle et al.
     * options: the Gram matrix is weighted by {@code rendle.alpha0()} and the regularization scaled by
     * {@code (|h| + alpha0 * items)^nu}.
     *
     * @param gram  {@code YtY} of the whole item side, unscaled (as {@link Gram#compute} returns it)
     * @param items the number of items {@code gram} was computed over ({@code |I|}), {@code >= 0}
     */
    public void foldIn(float[] gram, float regularization, Confidence confidence, ImplicitAlsParams.Rendle rendle, int items,
                       float[] historyVectors, float[] values, int k, float[] out) {
        check("ImplicitFoldIn.foldIn", gram, regularization, confidence, rendle, items, historyVectors, values, k);
        CsrMatrix.requireLength("ImplicitFoldIn.foldIn", "out", out.length, factors);
        solver.solveCholesky(gram, regularization, rendle, items, confidence, historyVectors, null, values, 0, k, out, 0, -1);
    }

    /**
     * As {@link #foldIn(float[], float, Confidence, ImplicitAlsParams.Rendle, int, float[], float[], int, float[])} for a model's
     * item side.
     */
    public void foldIn(ImplicitItemSide side, float[] historyVectors, float[] values, int k, float[] out) {
        foldIn(side.gram(), side.regularization(), side.confidence(), side.rendle(), side.items(), historyVectors, values, k, out);
    }

    /** As {@link #explain(float[], float, Confidence, ImplicitAlsParams.Rendle, int, float[], float[], int, float[], float[])}. */
    public float explain(ImplicitItemSide side, float[] historyVectors, float[] values, int k, float[] itemVector, float[] contributions) {
        return explain(side.gram(), side.regularization(), side.confidence(), side.rendle(), side.items(), historyVectors, values, k,
            itemVector, contributions);
    }

    /**
     * Explains the predicted score of one item (Hu, Koren, Volinsky 2008, section 5): with {@code W = (Y^T C_u Y + lambda I)^-1},
     * history item {@code j} contributes {@code s_j = y_i^T W y_j c_j}, and the contributions sum to the score
     * {@code y_i . x_u} of the folded-in user. Writes the {@code k} contributions (0 for ignored entries) and returns the score.
     *
     * @param itemVector     the explained item's vector, {@code d} floats
     * @param contributions  receives {@code k} floats
     */
    public float explain(float[] gram, float regularization, Confidence confidence, float[] historyVectors, float[] values, int k,
                         float[] itemVector, float[] contributions) {
        return explain(gram, regularization, confidence, ImplicitAlsParams.Rendle.NONE, 0, historyVectors, values, k, itemVector,
            contributions);
    }

    /**
     * As {@link #explain(float[], float, Confidence, float[], float[], int, float[], float[])} for a model trained with the Rendle
     * et al. options ({@code W} is then the inverse of the fold-in system of the class javadoc).
     *
     * @param items the number of items {@code gram} was computed over ({@code |I|}), {@code >= 0}
     */
    public float explain(float[] gram, float regularization, Confidence confidence, ImplicitAlsParams.Rendle rendle, int items,
                         float[] historyVectors, float[] values, int k, float[] itemVector, float[] contributions) {
        check("ImplicitFoldIn.explain", gram, regularization, confidence, rendle, items, historyVectors, values, k);
        CsrMatrix.requireLength("ImplicitFoldIn.explain", "itemVector", itemVector.length, factors);
        CsrMatrix.requireLength("ImplicitFoldIn.explain", "contributions", contributions.length, k);
        int d = factors;
        if (solver.factorize(gram, regularization, rendle, items, confidence, historyVectors, null, values, 0, k, -1) == 0) {
            for (int j = 0; j < k; j++) {
                contributions[j] = 0f;
            }
            return 0f;
        }
        // z = W y_i (W is symmetric), x = W b
        for (int j = 0; j < d; j++) {
            z[j] = itemVector[j];
        }
        solver.solveFactored(z);
        System.arraycopy(solver.rhs(), 0, x, 0, d);
        solver.solveFactored(x);
        for (int j = 0; j < k; j++) {
            float v = values[j];
            contributions[j] = v > 0 ? (float) (confidence.of(v) * Vectors.dot(historyVectors, j * d, z, d)) : 0f;
        }
        return (float) Vectors.dot(itemVector, 0, x, d);
    }

    /**
     * The per-history-item vectors behind {@link #explain}: {@code u_j = c_j W y_j}, so that history item {@code j} contributes
     * {@code y_i . u_j} to the score of any item {@code i} and the {@code u_j} sum to the folded-in user vector. One factorization
     * serves every explained item, where {@link #explain} factorizes per item: what explaining many hits of one search needs.
     * Writes {@code k x d} floats (zero rows for ignored entries) and returns false when nothing carries weight.
     *
     * @param out receives {@code k * d} floats, row-major
     */
    public boolean contributionVectors(ImplicitItemSide side, float[] historyVectors, float[] values, int k, float[] out) {
        check("ImplicitFoldIn.contributionVectors", side.gram(), side.regularization(), side.confidence(), side.rendle(), side.items(),
            historyVectors, values, k);
        CsrMatrix.requireLength("ImplicitFoldIn.contributionVectors", "out", out.length, (long) k * factors);
        int d = factors;
        Arrays.fill(out, 0, k * d, 0f);
        if (solver.factorize(side.gram(), side.regularization(), side.rendle(), side.items(), side.confidence(), historyVectors, null,
            values, 0, k, -1) == 0) {
            return false;
        }
        for (int j = 0; j < k; j++) {
            float v = values[j];
            if (v <= 0) {
                continue;
            }
            for (int i = 0; i < d; i++) {
                z[i] = historyVectors[j * d + i];
            }
            solver.solveFactored(z);
            double c = side.confidence().of(v);
            for (int i = 0; i < d; i++) {
                out[j * d + i] = (float) (c * z[i]);
            }
        }
        return true;
    }

    private void check(String api, float[] gram, float regularization, Confidence confidence, ImplicitAlsParams.Rendle rendle,
                       int items, float[] historyVectors, float[] values, int k) {
        if (rendle == null) {
            throw new IllegalArgumentException(api + ": [rendle] must not be null (use Rendle.NONE)");
        }
        if (items < 0) {
            throw new IllegalArgumentException(api + ": [items] must be >= 0 (was [" + items + "])");
        }
        if (k < 0) {
            throw new IllegalArgumentException(api + ": [k] must be >= 0 (was [" + k + "])");
        }
        if (Float.isFinite(regularization) == false || regularization < 0) {
            throw new IllegalArgumentException(api + ": [regularization] must be finite and >= 0 (was [" + regularization + "])");
        }
        if (confidence == null) {
            throw new IllegalArgumentException(api + ": [confidence] must not be null");
        }
        CsrMatrix.requireLength(api, "gram", gram.length, (long) factors * factors);
        CsrMatrix.requireLength(api, "historyVectors", historyVectors.length, (long) k * factors);
        CsrMatrix.requireLength(api, "values", values.length, k);
    }
}
