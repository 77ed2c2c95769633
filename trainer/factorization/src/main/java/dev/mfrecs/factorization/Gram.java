package dev.mfrecs.factorization;

import java.util.Arrays;

/**
 * The Gram matrix {@code Y^T Y} of a factor matrix: the part of every implicit-ALS row system shared by all rows (the "all
 * unobserved entries have confidence alpha0" term), computed once per half-sweep and once per model version for query-time
 * fold-in.
 * <p>
 * The rows are split into at most {@link #MAX_CHUNKS} consecutive chunks whose number depends only on {@code n}; each chunk's
 * partial sum is accumulated by the {@link DenseKernels} in float over blocks of {@link #FLOAT_BLOCK} rows (bounding float
 * rounding), the blocks are added into a double partial, and the partials are added in chunk order. So the result is
 * bit-identical for any thread count (on one kind of kernels), and chunks can be computed in parallel during training.
 */
public final class Gram {

    /** Upper bound on the number of row chunks (and so on the parallelism and on the {@code d x d} partial sums held at once). */
    static final int MAX_CHUNKS = 32;

    /** Rows per chunk at least, so small matrices are not split into tiny pieces. */
    static final int MIN_CHUNK_ROWS = 1024;

    /** Rows summed in float before the block is added into the chunk's double partial sum. */
    static final int FLOAT_BLOCK = 256;

    private Gram() {}

    /**
     * Returns {@code Y^T Y} as a symmetric {@code d x d} row-major array, where {@code Y} is the first {@code n} rows of the row-major
     * {@code factors}. Accumulates in double in a fixed order, so the result is bit-identical wherever it is computed.
     */
    public static float[] compute(float[] factors, int n, int d) {
        return compute(factors, n, d, 1);
    }

    /** As {@link #compute(float[], int, int)} on {@code threads} threads, with a bit-identical result. */
    public static float[] compute(float[] factors, int n, int d, int threads) {
        if (n < 0 || d <= 0) {
            throw new IllegalArgumentException("Gram.compute: [n] must be >= 0 and [d] > 0 (was [" + n + "], [" + d + "])");
        }
        if (threads <= 0) {
            throw new IllegalArgumentException("Gram.compute: [threads] must be > 0 (was [" + threads + "])");
        }
        CsrMatrix.requireLength("Gram.compute", "factors", factors.length, (long) n * d);
        int chunks = Math.max(1, Math.min(MAX_CHUNKS, (n + MIN_CHUNK_ROWS - 1) / MIN_CHUNK_ROWS));
        int chunkRows = (n + chunks - 1) / chunks;
        double[] acc = new double[d * d];
        if (threads == 1 || chunks == 1) {
            double[] partial = chunks == 1 ? acc : new double[d * d];
            float[] block = new float[d * d];
            for (int c = 0; c < chunks; c++) {
                if (c > 0) {
                    Arrays.fill(partial, 0.0);
                }
                accumulateBlocked(factors, c * chunkRows, Math.min(n, (c + 1) * chunkRows), d, c == 0 ? acc : partial, block);
                if (c > 0) {
                    addUpper(partial, acc, d);
                }
            }
        } else {
            double[][] partials = new double[chunks][];
            ParallelRows.run("mfrecs-gram", chunks, threads, 1, (worker, from, to) -> {
                float[] block = new float[d * d];
                for (int c = from; c < to; c++) {
                    double[] partial = new double[d * d];
                    accumulateBlocked(factors, c * chunkRows, Math.min(n, (c + 1) * chunkRows), d, partial, block);
                    partials[c] = partial;
                }
            });
            System.arraycopy(partials[0], 0, acc, 0, d * d);
            for (int c = 1; c < chunks; c++) {
                addUpper(partials[c], acc, d);
            }
        }
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

    private static void addUpper(double[] from, double[] to, int d) {
        for (int a = 0; a < d; a++) {
            int base = a * d;
            for (int b = a; b < d; b++) {
                to[base + b] += from[base + b];
            }
        }
    }

    /**
     * Adds {@code Y^T Y} of rows {@code [from, to)} into the upper triangle of {@code acc}: {@link #FLOAT_BLOCK} rows at a time
     * summed by the kernels in the float scratch {@code block}, each block's upper triangle then added in double.
     */
    private static void accumulateBlocked(float[] factors, int from, int to, int d, double[] acc, float[] block) {
        DenseKernels kernels = DenseKernels.get();
        for (int start = from; start < to; start += FLOAT_BLOCK) {
            Arrays.fill(block, 0f);
            kernels.gramUpdate(factors, start, Math.min(to, start + FLOAT_BLOCK), d, block);
            for (int a = 0; a < d; a++) {
                int base = a * d;
                for (int b = a; b < d; b++) {
                    acc[base + b] += block[base + b];
                }
            }
        }
    }

    /** Adds {@code Y^T Y} of the first {@code n} rows into the upper triangle ({@code b >= a}) of {@code acc}. */
    static void accumulate(float[] factors, int n, int d, double[] acc) {
        accumulate(factors, 0, n, d, acc);
    }

    /** Adds {@code Y^T Y} of rows {@code [from, to)} into the upper triangle of {@code acc}, four rows per pass. */
    static void accumulate(float[] factors, int from, int to, int d, double[] acc) {
        int row = from;
        for (; row + 3 < to; row += 4) {
            int o0 = row * d;
            int o1 = o0 + d;
            int o2 = o1 + d;
            int o3 = o2 + d;
            for (int a = 0; a < d; a++) {
                double y0 = factors[o0 + a];
                double y1 = factors[o1 + a];
                double y2 = factors[o2 + a];
                double y3 = factors[o3 + a];
                int base = a * d;
                for (int b = a; b < d; b++) {
                    acc[base + b] += (y0 * factors[o0 + b] + y1 * factors[o1 + b]) + (y2 * factors[o2 + b] + y3 * factors[o3 + b]);
                }
            }
        }
        for (; row < to; row++) {
            int off = row * d;
            for (int a = 0; a < d; a++) {
                double ya = factors[off + a];
                int base = a * d;
                for (int b = a; b < d; b++) {
                    acc[base + b] += ya * factors[off + b];
                }
            }
        }
    }
}
