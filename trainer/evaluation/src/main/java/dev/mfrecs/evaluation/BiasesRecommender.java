package dev.mfrecs.evaluation;

import dev.mfrecs.factorization.CsrMatrix;

/**
 * The biases-only baseline {@code r_hat = mu + b_u + b_i} (the "baseline predictors" of Koren 2008): the floor a rating model with
 * factors must clear, since it already captures that some users rate high and some items are liked by everyone. {@code mu} is the
 * training mean; the biases minimize {@code sum (r - mu - b_u - b_i)^2 + lambda (sum_u b_u^2 + sum_i b_i^2)} by alternating least
 * squares: each sweep sets, in closed form, every item's {@code b_i = sum_u (r - mu - b_u) / (lambda + n_i)} and then every user's
 * {@code b_u = sum_i (r - mu - b_i) / (lambda + n_u)} (so the first sweep, from {@code b_u = 0}, is Koren's two-step estimate). Ranking
 * is by {@code b_i} (the user's own terms shift every item equally); on all-ones implicit data every bias is 0 and the ranking is the
 * item order, so use {@code popularity} as the ranking baseline there.
 */
public final class BiasesRecommender implements Recommender {

    private final int iterations;
    private final float regularization;
    private float mean;
    private float[] userBias;
    private float[] itemBias;

    public BiasesRecommender(int iterations, float regularization) {
        if (iterations < 1) {
            throw new IllegalArgumentException("[iterations] of model [biases] must be >= 1 (was [" + iterations + "])");
        }
        if ((regularization >= 0) == false || Float.isInfinite(regularization)) {
            throw new IllegalArgumentException("[bias-regularization] of model [biases] must be finite and >= 0 (was [" + regularization
                + "])");
        }
        this.iterations = iterations;
        this.regularization = regularization;
    }

    @Override
    public int fit(CsrMatrix train) {
        int[] uptr = train.indptr();
        int[] uidx = train.indices();
        float[] uval = train.values();
        double total = 0;
        for (int p = 0; p < train.nnz(); p++) {
            total += uval[p];
        }
        mean = train.nnz() == 0 ? 0f : (float) (total / train.nnz());
        CsrMatrix itemUsers = train.transpose();
        int[] iptr = itemUsers.indptr();
        int[] iidx = itemUsers.indices();
        float[] ival = itemUsers.values();
        userBias = new float[train.rows()];
        itemBias = new float[train.cols()];
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < itemBias.length; i++) {
                double s = 0;
                for (int p = iptr[i]; p < iptr[i + 1]; p++) {
                    s += ival[p] - mean - userBias[iidx[p]];
                }
                itemBias[i] = shrink(s, iptr[i + 1] - iptr[i]);
            }
            for (int u = 0; u < userBias.length; u++) {
                double s = 0;
                for (int p = uptr[u]; p < uptr[u + 1]; p++) {
                    s += uval[p] - mean - itemBias[uidx[p]];
                }
                userBias[u] = shrink(s, uptr[u + 1] - uptr[u]);
            }
        }
        return iterations;
    }

    /** {@code residualSum / (lambda + n)}; 0 for a row or column without ratings (and lambda 0). */
    private float shrink(double residualSum, int n) {
        double denom = regularization + n;
        return denom == 0 ? 0f : (float) (residualSum / denom);
    }

    @Override
    public void scoreUser(int u, float[] out) {
        fill(mean + userBias[u], out);
    }

    /** Folds a new user in with the same closed-form user step against the trained item biases. */
    @Override
    public void scoreHistory(int[] items, float[] values, int n, float[] out) {
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += values[j] - mean - itemBias[items[j]];
        }
        fill(mean + shrink(s, n), out);
    }

    private void fill(float shift, float[] out) {
        for (int i = 0; i < itemBias.length; i++) {
            out[i] = shift + itemBias[i];
        }
    }

    @Override
    public boolean predictsRatings() {
        return true;
    }

    @Override
    public float predict(int u, int i) {
        return mean + userBias[u] + itemBias[i];
    }

    public float mean() {
        return mean;
    }

    public float[] userBias() {
        return userBias;
    }

    public float[] itemBias() {
        return itemBias;
    }
}
