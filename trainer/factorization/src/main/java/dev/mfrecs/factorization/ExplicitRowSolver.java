package dev.mfrecs.factorization;

import java.util.Arrays;

/**
 * The one explicit-ALS row kernel, used for training rows on both sides and for {@link ExplicitFoldIn}. Given fixed vectors
 * {@code y_j} with biases {@code c_j} and the row's ratings {@code r_j}, it solves the ridge regression of the residuals
 * {@code r_j - mu - c_j} on the augmented vectors {@code [y_j, 1]} for the unknown {@code [x, b]}:
 * <pre>
 *   (sum_j [y_j,1][y_j,1]^T + lambda n I) [x, b] = sum_j (r_j - mu - c_j) [y_j, 1]
 * </pre>
 * with {@code n} the number of ratings of the row (weighted-lambda regularization). Every stored entry is a rating (zeros
 * included). Positions follow {@link ImplicitRowSolver}'s convention ({@code indices == null}: packed history). Scratch is owned by
 * the instance; not thread-safe.
 */
final class ExplicitRowSolver {

    private final int d;
    private final int e;
    private final double[] a;
    private final double[] b;

    ExplicitRowSolver(int d) {
        if (d <= 0) {
            throw new IllegalArgumentException("ExplicitRowSolver: [factors] must be > 0 (was [" + d + "])");
        }
        this.d = d;
        this.e = d + 1;
        this.a = new double[e * e];
        this.b = new double[e];
    }

    /** Writes the row's factors to {@code out[outOff..outOff+d)} and returns its bias; a row without ratings gets zeros. */
    float solve(float[] fixed, float[] fixedBias, int[] indices, float[] values, int from, int to, float globalMean, float reg,
                float[] out, int outOff, int row) {
        int n = to - from;
        if (n <= 0) {
            Arrays.fill(out, outOff, outOff + d, 0f);
            return 0f;
        }
        Arrays.fill(a, 0);
        Arrays.fill(b, 0);
        int biasRow = d * e;
        for (int q = from; q < to; q++) {
            int j = indices == null ? q : indices[q];
            int off = j * d;
            double t = (double) values[q] - globalMean - fixedBias[j];
            for (int i = 0; i < d; i++) {
                double yi = fixed[off + i];
                b[i] += t * yi;
                a[biasRow + i] += yi;
                if (yi != 0) {
                    int base = i * e;
                    for (int k = 0; k <= i; k++) {
                        a[base + k] += yi * fixed[off + k];
                    }
                }
            }
            b[d] += t;
        }
        a[biasRow + d] += n;
        double ridge = (double) reg * n;
        for (int i = 0; i < e; i++) {
            a[i * e + i] += ridge;
        }
        int pivot = Cholesky.factor(a, e);
        if (pivot >= 0) {
            throw new NotPositiveDefiniteException(row, pivot, reg);
        }
        Cholesky.solve(a, e, b);
        for (int i = 0; i < d; i++) {
            out[outOff + i] = (float) b[i];
        }
        return (float) b[d];
    }

    /**
     * After {@link #solve} of a packed history ({@code indices == null}): solves the factored system for {@code rhs} in place,
     * {@code rhs = W rhs} with {@code W} the inverse of the row's regularized augmented Gram matrix. {@code rhs} has {@code d + 1}
     * entries.
     */
    void solveFactored(double[] rhs) {
        Cholesky.solve(a, e, rhs);
    }
}
