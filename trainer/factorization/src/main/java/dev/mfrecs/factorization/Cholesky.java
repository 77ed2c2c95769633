package dev.mfrecs.factorization;

/**
 * In-place Cholesky factorization and solve of a small dense symmetric positive definite system in double precision: the exact
 * row solver shared by implicit ALS, explicit ALS and their fold-ins. Only the lower triangle of the input is read.
 */
final class Cholesky {

    /**
     * A pivot that has shrunk below this fraction of its original diagonal entry is treated as zero: the matrix is singular to within
     * the precision of its float inputs (exact rank deficiency in float data usually leaves a pivot near 1e-16 relative).
     */
    static final double RELATIVE_PIVOT_TOLERANCE = 1e-9;

    private Cholesky() {}

    /**
     * Overwrites the lower triangle of the row-major {@code n x n} matrix {@code a} with {@code L}, {@code A = L L^T}.
     *
     * @return {@code -1} on success, otherwise the pivot at which {@code A} proved not positive definite
     */
    static int factor(double[] a, int n) {
        return factor(a, n, DenseKernels.get());
    }

    /** As {@link #factor(double[], int)}, with the inner products on the given kernels. */
    static int factor(double[] a, int n, DenseKernels kernels) {
        for (int j = 0; j < n; j++) {
            int rj = j * n;
            double diag = a[rj + j];
            double s = diag - kernels.dot(a, rj, a, rj, j);
            if ((s > RELATIVE_PIVOT_TOLERANCE * diag) == false || (s > 0) == false) {
                return j;
            }
            double ljj = Math.sqrt(s);
            a[rj + j] = ljj;
            double inv = 1.0 / ljj;
            for (int i = j + 1; i < n; i++) {
                int ri = i * n;
                a[ri + j] = (a[ri + j] - kernels.dot(a, ri, a, rj, j)) * inv;
            }
        }
        return -1;
    }

    /** Solves {@code L L^T x = b} in place in {@code b}, with {@code L} as left by {@link #factor}. */
    static void solve(double[] l, int n, double[] b) {
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            double t0 = 0;
            double t1 = 0;
            double t2 = 0;
            double t3 = 0;
            int k = 0;
            for (int end = i - 3; k < end; k += 4) {
                t0 += l[ri + k] * b[k];
                t1 += l[ri + k + 1] * b[k + 1];
                t2 += l[ri + k + 2] * b[k + 2];
                t3 += l[ri + k + 3] * b[k + 3];
            }
            for (; k < i; k++) {
                t0 += l[ri + k] * b[k];
            }
            b[i] = (b[i] - ((t0 + t1) + (t2 + t3))) / l[ri + i];
        }
        // backward substitution column by column (b[k] -= L[i][k] b[i] for k < i): contiguous rows of L, a vectorizable update
        for (int i = n - 1; i >= 0; i--) {
            int ri = i * n;
            double bi = b[i] / l[ri + i];
            b[i] = bi;
            for (int k = 0; k < i; k++) {
                b[k] -= l[ri + k] * bi;
            }
        }
    }
}
