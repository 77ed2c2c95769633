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
        for (int j = 0; j < n; j++) {
            int rj = j * n;
            double diag = a[rj + j];
            double s = diag;
            for (int k = 0; k < j; k++) {
                s -= a[rj + k] * a[rj + k];
            }
            if ((s > RELATIVE_PIVOT_TOLERANCE * diag) == false || (s > 0) == false) {
                return j;
            }
            double ljj = Math.sqrt(s);
            a[rj + j] = ljj;
            double inv = 1.0 / ljj;
            for (int i = j + 1; i < n; i++) {
                int ri = i * n;
                double t = a[ri + j];
                for (int k = 0; k < j; k++) {
                    t -= a[ri + k] * a[rj + k];
                }
                a[ri + j] = t * inv;
            }
        }
        return -1;
    }

    /** Solves {@code L L^T x = b} in place in {@code b}, with {@code L} as left by {@link #factor}. */
    static void solve(double[] l, int n, double[] b) {
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            double t = b[i];
            for (int k = 0; k < i; k++) {
                t -= l[ri + k] * b[k];
            }
            b[i] = t / l[ri + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double t = b[i];
            for (int k = i + 1; k < n; k++) {
                t -= l[k * n + i] * b[k];
            }
            b[i] = t / l[i * n + i];
        }
    }
}
