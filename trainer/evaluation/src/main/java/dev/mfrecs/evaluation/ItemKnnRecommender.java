package dev.mfrecs.evaluation;

import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.TopK;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Classic item-based collaborative filtering (Sarwar et al. 2001; Deshpande and Karypis 2004) as a baseline: the cosine similarity
 * of item columns (over the stored values), pruned to each item's {@code neighbors} most similar items; a user's score for item
 * {@code i} is the sum of {@code sim(j, i)} over the user's items {@code j} that have {@code i} among their neighbours.
 * Similarities are computed per item from co-occurrences through the users' rows (sparse, {@code O(sum_u |u|^2)}), in parallel
 * with per-item results, so they do not depend on the thread count.
 */
public final class ItemKnnRecommender implements Recommender {

    private final int neighbors;
    private final int threads;
    private CsrMatrix train;
    private int k;
    private int[] neighborIdx;
    private float[] neighborSim;
    private int[] neighborCount;

    public ItemKnnRecommender(int neighbors, int threads) {
        if (neighbors <= 0) {
            throw new IllegalArgumentException("[neighbors] of model [item-knn] must be > 0 (was [" + neighbors + "])");
        }
        this.neighbors = neighbors;
        this.threads = threads;
    }

    @Override
    public int fit(CsrMatrix userItems) {
        this.train = userItems;
        int items = userItems.cols();
        CsrMatrix itemUsers = userItems.transpose();
        double[] norm = new double[items];
        for (int i = 0; i < items; i++) {
            double s = 0;
            for (int p = itemUsers.indptr()[i]; p < itemUsers.indptr()[i + 1]; p++) {
                s += (double) itemUsers.values()[p] * itemUsers.values()[p];
            }
            norm[i] = Math.sqrt(s);
        }
        k = Math.min(neighbors, Math.max(0, items - 1));
        neighborIdx = new int[items * k];
        neighborSim = new float[items * k];
        neighborCount = new int[items];
        ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[items]);
        Runnable all = () -> IntStream.range(0, items).parallel().forEach(i -> {
            float[] acc = scratch.get();
            Arrays.fill(acc, 0f);
            int[] uptr = userItems.indptr();
            int[] uidx = userItems.indices();
            float[] uval = userItems.values();
            for (int p = itemUsers.indptr()[i]; p < itemUsers.indptr()[i + 1]; p++) {
                int u = itemUsers.indices()[p];
                float a = itemUsers.values()[p];
                for (int q = uptr[u]; q < uptr[u + 1]; q++) {
                    acc[uidx[q]] += a * uval[q];
                }
            }
            for (int j = 0; j < items; j++) {
                double denom = norm[i] * norm[j];
                acc[j] = j == i || denom == 0 || acc[j] <= 0 ? Float.NaN : (float) (acc[j] / denom);
            }
            int[] top = TopK.topK(acc, items, k, null);
            neighborCount[i] = top.length;
            for (int r = 0; r < top.length; r++) {
                neighborIdx[i * k + r] = top[r];
                neighborSim[i * k + r] = acc[top[r]];
            }
        });
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(all).join();
        } finally {
            pool.shutdown();
        }
        return 0;
    }

    @Override
    public void scoreUser(int u, float[] out) {
        Arrays.fill(out, 0f);
        for (int p = train.indptr()[u]; p < train.indptr()[u + 1]; p++) {
            addNeighbors(train.indices()[p], out);
        }
    }

    @Override
    public void scoreHistory(int[] items, float[] values, int n, float[] out) {
        Arrays.fill(out, 0f);
        for (int j = 0; j < n; j++) {
            if (values[j] > 0) {
                addNeighbors(items[j], out);
            }
        }
    }

    private void addNeighbors(int j, float[] out) {
        int off = j * k;
        for (int r = 0; r < neighborCount[j]; r++) {
            out[neighborIdx[off + r]] += neighborSim[off + r];
        }
    }
}
