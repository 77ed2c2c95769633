package dev.mfrecs.factorization;

import java.util.function.IntPredicate;

/**
 * Exact top-k selection and brute-force dot-product / cosine retrieval over flat factor arrays: the reference the plugin's
 * approximate paths are checked against, and the scorer for small catalogs. Ranking is by descending score with ties broken by the
 * smaller index, so results are deterministic; NaN scores are never returned. Results are arrays of indices, best first, of length
 * {@code min(k, number of eligible entries)}.
 */
public final class TopK {

    private TopK() {}

    /** The indices of the {@code k} highest of {@code scores[0..n)}; indices for which {@code excluded} is true are skipped. */
    public static int[] topK(float[] scores, int n, int k, IntPredicate excluded) {
        checkK("TopK.topK", k);
        CsrMatrix.requireLength("TopK.topK", "scores", scores.length, n);
        BoundedHeap heap = new BoundedHeap(Math.min(k, Math.max(n, 0)));
        for (int i = 0; i < n; i++) {
            float s = scores[i];
            if (s == s && (excluded == null || excluded.test(i) == false)) {
                heap.offer(i, s);
            }
        }
        return heap.drainBestFirst();
    }

    /** The {@code k} items with the highest dot product with {@code userVector}, skipping {@code excluded} items. */
    public static int[] recommend(float[] userVector, float[] itemFactors, int items, int d, int k, IntPredicate excluded) {
        checkK("TopK.recommend", k);
        CsrMatrix.requireLength("TopK.recommend", "userVector", userVector.length, d);
        CsrMatrix.requireLength("TopK.recommend", "itemFactors", itemFactors.length, (long) items * d);
        BoundedHeap heap = new BoundedHeap(Math.min(k, Math.max(items, 0)));
        for (int i = 0; i < items; i++) {
            if (excluded != null && excluded.test(i)) {
                continue;
            }
            float s = Vectors.dot(userVector, 0, itemFactors, i * d, d);
            if (s == s) {
                heap.offer(i, s);
            }
        }
        return heap.drainBestFirst();
    }

    /**
     * The {@code k} items most similar to {@code item} by dot product, or by cosine when {@code cosine} is true (a zero vector has
     * cosine 0 with everything); {@code item} itself is excluded.
     */
    public static int[] similar(float[] itemFactors, int items, int d, int item, int k, boolean cosine) {
        checkK("TopK.similar", k);
        CsrMatrix.requireLength("TopK.similar", "itemFactors", itemFactors.length, (long) items * d);
        if (item < 0 || item >= items) {
            throw new IllegalArgumentException("TopK.similar: [item] must be in [0, " + items + ") (was [" + item + "])");
        }
        int off = item * d;
        double norm = cosine ? Math.sqrt(Vectors.squaredNorm(itemFactors, off, d)) : 1.0;
        BoundedHeap heap = new BoundedHeap(Math.min(k, items - 1));
        for (int i = 0; i < items; i++) {
            if (i == item) {
                continue;
            }
            double s = Vectors.dotDouble(itemFactors, off, itemFactors, i * d, d);
            if (cosine) {
                double denom = norm * Math.sqrt(Vectors.squaredNorm(itemFactors, i * d, d));
                s = denom > 0 ? s / denom : 0.0;
            }
            float f = (float) s;
            if (f == f) {
                heap.offer(i, f);
            }
        }
        return heap.drainBestFirst();
    }

    private static void checkK(String api, int k) {
        if (k < 0) {
            throw new IllegalArgumentException(api + ": [k] must be >= 0 (was [" + k + "])");
        }
    }
}
