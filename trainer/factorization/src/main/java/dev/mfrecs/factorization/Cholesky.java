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

    /**
     * As {@link #factor(double[], int)}, with the inner products on the given kernels. Columns are computed four at a time: the
     * rows below a block of four columns are each read once for the four inner products of their common prefix ({@link
     * DenseKernels#dot4}), and the few products inside the block are added one by one.
     */
    static int factor(double[] a, int n, DenseKernels kernels) {
        return factor(a, n, kernels, new double[4]);
    }

    /** As {@link #factor(double[], int, DenseKernels)} with caller-owned scratch {@code t} of length 4 (no allocation). */
    static int factor(double[] a, int n, DenseKernels kernels, double[] t) {
        int j0 = 0;
        for (; j0 + 3 < n; j0 += 4) {
            // the 4 x 4 diagonal block, column by column
            for (int j = j0; j < j0 + 4; j++) {
                int pivot = column(a, n, j, j0 + 4, kernels);
                if (pivot >= 0) {
                    return pivot;
                }
            }
            int r0 = j0 * n;
            int r1 = r0 + n;
            int r2 = r1 + n;
            int r3 = r2 + n;
            double inv0 = 1.0 / a[r0 + j0];
            double inv1 = 1.0 / a[r1 + j0 + 1];
            double inv2 = 1.0 / a[r2 + j0 + 2];
            double inv3 = 1.0 / a[r3 + j0 + 3];
            // rows below it: L[i][j] = (A[i][j] - sum_{k < j} L[i][k] L[j][k]) / L[j][j], the sums over k < j0 in one pass
            for (int i = j0 + 4; i < n; i++) {
                int ri = i * n;
                kernels.dot4(a, ri, r0, r1, r2, r3, j0, t);
                double l0 = (a[ri + j0] - t[0]) * inv0;
                double l1 = (a[ri + j0 + 1] - t[1] - l0 * a[r1 + j0]) * inv1;
                double l2 = (a[ri + j0 + 2] - t[2] - l0 * a[r2 + j0] - l1 * a[r2 + j0 + 1]) * inv2;
                double l3 = (a[ri + j0 + 3] - t[3] - l0 * a[r3 + j0] - l1 * a[r3 + j0 + 1] - l2 * a[r3 + j0 + 2]) * inv3;
                a[ri + j0] = l0;
                a[ri + j0 + 1] = l1;
                a[ri + j0 + 2] = l2;
                a[ri + j0 + 3] = l3;
            }
        }
        for (int j = j0; j < n; j++) {
            int pivot = column(a, n, j, n, kernels);
            if (pivot >= 0) {
                return pivot;
            }
        }
        return -1;
    }

    /**
     * Column {@code j} of {@code L}: its diagonal entry and the entries of rows {@code j+1 .. rowsTo-1}, from inner products of
     * length {@code j}. Returns {@code j} if the pivot is not positive, otherwise {@code -1}.
     */
    private static int column(double[] a, int n, int j, int rowsTo, DenseKernels kernels) {
        int rj = j * n;
        double diag = a[rj + j];
        double s = diag - kernels.dot(a, rj, a, rj, j);
        if ((s > RELATIVE_PIVOT_TOLERANCE * diag) == false || (s > 0) == false) {
            return j;
        }
        double ljj = Math.sqrt(s);
        a[rj + j] = ljj;
        double inv = 1.0 / ljj;
        for (int i = j + 1; i < rowsTo; i++) {
            int ri = i * n;
            a[ri + j] = (a[ri + j] - kernels.dot(a, ri, a, rj, j)) * inv;
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
