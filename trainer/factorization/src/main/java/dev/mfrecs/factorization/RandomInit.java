package dev.mfrecs.factorization;

import java.util.SplittableRandom;

/**
 * Seeded initialization of factor matrices. Draws are sequential over rows from a stream derived only from the seed (never from the
 * thread layout), so training runs are reproducible and independent of the thread count.
 */
final class RandomInit {

    private RandomInit() {}

    /**
     * Returns {@code n x d} values drawn from {@code N(0, scale^2)}; rows for which {@code emptyRow} is true are zero (the draws for
     * them are still consumed so the stream does not depend on which rows are empty).
     */
    static float[] gaussian(SplittableRandom random, int n, int d, double scale, CsrMatrix rowsOrNull, boolean positiveOnly) {
        float[] out = new float[n * d];
        for (int row = 0; row < n; row++) {
            boolean empty = rowsOrNull != null && hasEntries(rowsOrNull, row, positiveOnly) == false;
            for (int j = 0; j < d; j++) {
                double g = random.nextGaussian() * scale;
                out[row * d + j] = empty ? 0f : (float) g;
            }
        }
        return out;
    }

    /** As the {@code CsrMatrix} variant, with row {@code row} empty unless {@code observed[row]}. */
    static float[] gaussian(SplittableRandom random, int n, int d, double scale, boolean[] observed) {
        float[] out = new float[n * d];
        for (int row = 0; row < n; row++) {
            boolean empty = observed[row] == false;
            for (int j = 0; j < d; j++) {
                double g = random.nextGaussian() * scale;
                out[row * d + j] = empty ? 0f : (float) g;
            }
        }
        return out;
    }

    static boolean hasEntries(CsrMatrix m, int row, boolean positiveOnly) {
        int[] indptr = m.indptr();
        if (positiveOnly == false) {
            return indptr[row + 1] > indptr[row];
        }
        float[] values = m.values();
        for (int p = indptr[row]; p < indptr[row + 1]; p++) {
            if (values[p] > 0) {
                return true;
            }
        }
        return false;
    }
}
