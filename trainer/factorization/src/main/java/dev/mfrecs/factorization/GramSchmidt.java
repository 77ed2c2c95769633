package dev.mfrecs.factorization;

import java.util.Arrays;

/**
 * Thin QR of a tall row-major {@code rows x cols} float matrix by Gram-Schmidt with one full reorthogonalization per column
 * (CGS2, "twice is enough": Giraud, Langou, Rozloznik 2005; as stable as modified Gram-Schmidt with reorthogonalization). The
 * classical variant is used because its projections are whole-row passes over the row-major matrix, which run contiguously and in
 * parallel; the dot-product passes reduce fixed row blocks in block order, so the result does not depend on the thread count.
 * <p>
 * A column whose residual after orthogonalization falls below {@link #DEPENDENT_TOLERANCE} of its original norm is numerically
 * dependent on the previous ones and is set to zero (with a zero diagonal in {@code R}); this is how rank-deficient inputs (e.g. a
 * sketch wider than the matrix's rank) are handled.
 */
final class GramSchmidt {

    static final double DEPENDENT_TOLERANCE = 1e-5;
    private static final int BLOCK = 2048;

    private GramSchmidt() {}

    /**
     * Overwrites {@code m} with {@code Q} (orthonormal or zero columns) and, when {@code r} is not null, writes the upper-triangular
     * {@code cols x cols} factor (row-major) with {@code M = Q R}.
     */
    static void orthonormalize(float[] m, int rows, int cols, double[] r, int threads) {
        int blocks = Math.max(1, (rows + BLOCK - 1) / BLOCK);
        double[] partial = new double[blocks * (cols + 1)];
        double[] h = new double[cols + 1];
        if (r != null) {
            Arrays.fill(r, 0, cols * cols, 0);
        }
        for (int j = 0; j < cols; j++) {
            int jj = j;
            double original = Math.sqrt(squaredNorm(m, rows, cols, jj, partial, blocks, threads));
            for (int pass = 0; pass < 2; pass++) {
                if (jj == 0) {
                    break;
                }
                // h[c] = q_c . m_j for c < j
                ParallelRows.run("mfrecs-qr", rows, threads, BLOCK, (worker, from, to) -> {
                    int base = (from / BLOCK) * (cols + 1);
                    for (int c = 0; c < jj; c++) {
                        partial[base + c] = 0;
                    }
                    for (int u = from; u < to; u++) {
                        int off = u * cols;
                        double v = m[off + jj];
                        for (int c = 0; c < jj; c++) {
                            partial[base + c] += m[off + c] * v;
                        }
                    }
                });
                Arrays.fill(h, 0);
                for (int b = 0; b < blocks; b++) {
                    for (int c = 0; c < jj; c++) {
                        h[c] += partial[b * (cols + 1) + c];
                    }
                }
                if (r != null) {
                    for (int c = 0; c < jj; c++) {
                        r[c * cols + jj] += h[c];
                    }
                }
                ParallelRows.run("mfrecs-qr", rows, threads, BLOCK, (worker, from, to) -> {
                    for (int u = from; u < to; u++) {
                        int off = u * cols;
                        double s = m[off + jj];
                        for (int c = 0; c < jj; c++) {
                            s -= m[off + c] * h[c];
                        }
                        m[off + jj] = (float) s;
                    }
                });
            }
            double norm = Math.sqrt(squaredNorm(m, rows, cols, jj, partial, blocks, threads));
            boolean dependent = (norm > DEPENDENT_TOLERANCE * original) == false;
            double scale = dependent ? 0.0 : 1.0 / norm;
            if (r != null) {
                r[jj * cols + jj] = dependent ? 0.0 : norm;
            }
            ParallelRows.run("mfrecs-qr", rows, threads, BLOCK, (worker, from, to) -> {
                for (int u = from; u < to; u++) {
                    m[u * cols + jj] = (float) (m[u * cols + jj] * scale);
                }
            });
        }
    }

    /** The squared norm of column {@code j}, reduced over fixed row blocks in block order. */
    private static double squaredNorm(float[] m, int rows, int cols, int j, double[] partial, int blocks, int threads) {
        ParallelRows.run("mfrecs-qr", rows, threads, BLOCK, (worker, from, to) -> {
            double s = 0;
            for (int u = from; u < to; u++) {
                double v = m[u * cols + j];
                s += v * v;
            }
            partial[(from / BLOCK) * (cols + 1) + cols] = s;
        });
        double total = 0;
        for (int b = 0; b < blocks; b++) {
            total += partial[b * (cols + 1) + cols];
        }
        return total;
    }
}
