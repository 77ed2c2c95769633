package dev.mfrecs.factorization;

import java.util.SplittableRandom;

/**
 * Explicit-rating alternating least squares with user and item biases: fits {@code r_hat = mu + b_u + b_i + p_u . q_i} to the
 * stored ratings only, minimizing
 * <pre>
 *   sum_{(u,i) rated} (r_ui - r_hat_ui)^2 + lambda (sum_u n_u (|p_u|^2 + b_u^2) + sum_i n_i (|q_i|^2 + b_i^2))
 * </pre>
 * ({@code n_u}, {@code n_i}: rating counts, the weighted-lambda regularization of Zhou et al. 2008 also used by Spark MLlib).
 * {@code mu} is the global mean rating and stays fixed. Biases are solved in the same least-squares steps as the factors: the fixed
 * side is augmented with a constant-1 column and the solved side with a (regularized) bias column, see {@link ExplicitRowSolver}.
 * Each half-sweep solves every row exactly (Cholesky), so the objective never increases; rows are independent, so results do not
 * depend on the thread count. Predictions are clamped at serving time by {@link BiasedModel#predict}.
 */
public final class ExplicitAls {

    private ExplicitAls() {}

    /** Trains on a users x items matrix of ratings (every stored entry is a rating). */
    public static BiasedModel train(CsrMatrix ratings, ExplicitAlsParams params, TrainingListener listener) {
        int d = params.factors();
        CsrMatrix itemUsers = ratings.transpose();
        float mu = globalMean(ratings);
        SplittableRandom root = new SplittableRandom(params.seed());
        SplittableRandom userRandom = root.split();
        SplittableRandom itemRandom = root.split();
        double scale = 1.0 / Math.sqrt(d);
        float[] users = RandomInit.gaussian(userRandom, ratings.rows(), d, scale, ratings, false);
        float[] items = RandomInit.gaussian(itemRandom, ratings.cols(), d, scale, itemUsers, false);
        BiasedModel model = new BiasedModel(d, ratings.rows(), ratings.cols(), mu, new float[ratings.rows()], new float[ratings.cols()],
            users, items);
        TrainingListener l = listener == null ? TrainingListener.NONE : listener;
        for (int it = 1; it <= params.iterations(); it++) {
            long start = System.nanoTime();
            halfSweep(ratings, model.itemFactors(), model.itemBias(), model.items(), mu, model.userFactors(), model.userBias(), params);
            halfSweep(itemUsers, model.userFactors(), model.userBias(), model.users(), mu, model.itemFactors(), model.itemBias(), params);
            l.iteration(it, params.iterations(), (System.nanoTime() - start) / 1e9);
        }
        return model;
    }

    /**
     * Re-solves every row of {@code rows} in place (factors into {@code solved}, biases into {@code solvedBias}) against the fixed
     * side's factors and biases.
     */
    public static void halfSweep(CsrMatrix rows, float[] fixed, float[] fixedBias, int fixedCount, float globalMean, float[] solved,
                                 float[] solvedBias, ExplicitAlsParams params) {
        int d = params.factors();
        if (rows.cols() != fixedCount) {
            throw new IllegalArgumentException("ExplicitAls.halfSweep: matrix has [" + rows.cols() + "] columns but there are ["
                + fixedCount + "] fixed factor rows");
        }
        CsrMatrix.requireLength("ExplicitAls.halfSweep", "fixed", fixed.length, (long) fixedCount * d);
        CsrMatrix.requireLength("ExplicitAls.halfSweep", "fixedBias", fixedBias.length, fixedCount);
        CsrMatrix.requireLength("ExplicitAls.halfSweep", "solved", solved.length, (long) rows.rows() * d);
        CsrMatrix.requireLength("ExplicitAls.halfSweep", "solvedBias", solvedBias.length, rows.rows());
        ExplicitRowSolver[] solvers = new ExplicitRowSolver[params.threads()];
        int[] indptr = rows.indptr();
        int[] indices = rows.indices();
        float[] values = rows.values();
        float reg = params.regularization();
        ParallelRows.run("mfrecs-als", rows.rows(), params.threads(), (worker, from, to) -> {
            ExplicitRowSolver solver = solvers[worker];
            if (solver == null) {
                solver = new ExplicitRowSolver(d);
                solvers[worker] = solver;
            }
            for (int u = from; u < to; u++) {
                solvedBias[u] = solver.solve(fixed, fixedBias, indices, values, indptr[u], indptr[u + 1], globalMean, reg, solved, u * d,
                    u);
            }
        });
    }

    /** The training objective (see the class javadoc) of {@code model} on {@code ratings}, in double precision. */
    public static double loss(CsrMatrix ratings, BiasedModel model, float regularization) {
        int d = model.factors();
        int[] indptr = ratings.indptr();
        int[] indices = ratings.indices();
        float[] values = ratings.values();
        double loss = 0;
        for (int u = 0; u < ratings.rows(); u++) {
            int n = indptr[u + 1] - indptr[u];
            double bias = model.userBias()[u];
            loss += regularization * n * (Vectors.squaredNorm(model.userFactors(), u * d, d) + bias * bias);
            for (int p = indptr[u]; p < indptr[u + 1]; p++) {
                int i = indices[p];
                double err = values[p] - ((double) model.globalMean() + model.userBias()[u] + model.itemBias()[i]
                    + Vectors.dotDouble(model.userFactors(), u * d, model.itemFactors(), i * d, d));
                loss += err * err;
            }
        }
        int[] counts = new int[ratings.cols()];
        for (int p = 0; p < ratings.nnz(); p++) {
            counts[indices[p]]++;
        }
        for (int i = 0; i < ratings.cols(); i++) {
            loss += regularization * counts[i] * (Vectors.squaredNorm(model.itemFactors(), i * d, d)
                + (double) model.itemBias()[i] * model.itemBias()[i]);
        }
        return loss;
    }

    /** Root mean squared error of the clamped predictions on the stored ratings of {@code ratings}. */
    public static double rmse(CsrMatrix ratings, BiasedModel model, float min, float max) {
        int[] indptr = ratings.indptr();
        int[] indices = ratings.indices();
        float[] values = ratings.values();
        double sum = 0;
        for (int u = 0; u < ratings.rows(); u++) {
            for (int p = indptr[u]; p < indptr[u + 1]; p++) {
                double err = values[p] - model.predict(u, indices[p], min, max);
                sum += err * err;
            }
        }
        return ratings.nnz() == 0 ? 0 : Math.sqrt(sum / ratings.nnz());
    }

    static float globalMean(CsrMatrix ratings) {
        double sum = 0;
        for (int p = 0; p < ratings.nnz(); p++) {
            sum += ratings.values()[p];
        }
        return ratings.nnz() == 0 ? 0f : (float) (sum / ratings.nnz());
    }
}
