package dev.mfrecs.evaluation;

import dev.mfrecs.factorization.CsrMatrix;

/** The most-popular baseline: every user gets the items ranked by their number of training users. */
public final class PopularityRecommender implements Recommender {

    private float[] popularity;

    @Override
    public int fit(CsrMatrix train) {
        popularity = new float[train.cols()];
        int[] indices = train.indices();
        float[] values = train.values();
        for (int p = 0; p < train.nnz(); p++) {
            if (values[p] > 0) {
                popularity[indices[p]] += 1f;
            }
        }
        return 0;
    }

    @Override
    public void scoreUser(int u, float[] out) {
        System.arraycopy(popularity, 0, out, 0, popularity.length);
    }

    @Override
    public void scoreHistory(int[] items, float[] values, int n, float[] out) {
        System.arraycopy(popularity, 0, out, 0, popularity.length);
    }
}
