package dev.mfrecs.factorization;

/**
 * The Gram matrix {@code Y^T Y} of a factor matrix: the part of every implicit-ALS row system shared by all rows (the "all
 * unobserved entries have confidence 1" term), computed once per half-sweep and once per model version for query-time fold-in.
 */
public final class Gram {

    private Gram() {}

    /**
     * Returns {@code Y^T Y} as a symmetric {@code d x d} row-major array, where {@code Y} is the first {@code n} rows of the row-major
     * {@code factors}. Accumulates in double, sequentially, so the result is bit-identical wherever it is computed.
     */
    public static float[] compute(float[] factors, int n, int d) {
        if (n < 0 || d <= 0) {
            throw new IllegalArgumentException("Gram.compute: [n] must be >= 0 and [d] > 0 (was [" + n + "], [" + d + "])");
        }
        CsrMatrix.requireLength("Gram.compute", "factors", factors.length, (long) n * d);
        double[] acc = new double[d * d];
        accumulate(factors, n, d, acc);
        float[] out = new float[d * d];
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                float v = (float) acc[a * d + b];
                out[a * d + b] = v;
                out[b * d + a] = v;
            }
        }
        return out;
    }

    /** Adds {@code Y^T Y} of the first {@code n} rows into the upper triangle ({@code b >= a}) of {@code acc}. */
    static void accumulate(float[] factors, int n, int d, double[] acc) {
        for (int row = 0; row < n; row++) {
            int off = row * d;
            for (int a = 0; a < d; a++) {
                double ya = factors[off + a];
                if (ya == 0) {
                    continue;
                }
                int base = a * d;
                for (int b = a; b < d; b++) {
                    acc[base + b] += ya * factors[off + b];
                }
            }
        }
    }
}
