package dev.mfrecs.factorization;

import java.util.Arrays;

/**
 * The one implicit-ALS row kernel, used for every training row (both sides, both solvers) and for query-time fold-in and explain,
 * so a folded-in user is computed exactly like a trained one. For a row with observed entries {@code j} (value {@code r_j > 0},
 * confidence {@code c_j}) against fixed vectors {@code y_j} it solves
 * <pre>
 *   (YtY + lambda I + sum_j (c_j - 1) y_j y_j^T) x = sum_j c_j y_j
 * </pre>
 * Entries with value {@code <= 0} are treated as unobserved (skipped); a row without observed entries gets the zero vector.
 * <p>
 * The entries of a row are positions {@code [from, to)} of {@code indices}/{@code values}; the vector of position {@code p} is row
 * {@code indices[p]} of {@code y}, or row {@code p} when {@code indices} is {@code null} (fold-in: the history vectors are packed).
 * All scratch is owned by the instance (not thread-safe; one per thread) and nothing is allocated per call except when a row is
 * longer than any seen before (the per-entry confidence cache grows).
 */
final class ImplicitRowSolver {

    private final int d;
    private final double[] a;
    private final double[] b;
    private final double[] x;
    private final double[] r;
    private final double[] p;
    private final double[] ap;
    private float[] conf = new float[16];

    ImplicitRowSolver(int d) {
        if (d <= 0) {
            throw new IllegalArgumentException("ImplicitRowSolver: [factors] must be > 0 (was [" + d + "])");
        }
        this.d = d;
        this.a = new double[d * d];
        this.b = new double[d];
        this.x = new double[d];
        this.r = new double[d];
        this.p = new double[d];
        this.ap = new double[d];
    }

    int factors() {
        return d;
    }

    /**
     * Exact solve: assembles and Cholesky-factors the row system and writes the solution to {@code out[outOff..outOff+d)}.
     *
     * @param row reported in a {@link NotPositiveDefiniteException}; {@code -1} for fold-in
     */
    void solveCholesky(float[] gram, float reg, Confidence confidence, float[] y, int[] indices, float[] values, int from, int to,
                       float[] out, int outOff, int row) {
        if (factorize(gram, reg, confidence, y, indices, values, from, to, row) == 0) {
            Arrays.fill(out, outOff, outOff + d, 0f);
            return;
        }
        System.arraycopy(b, 0, x, 0, d);
        Cholesky.solve(a, d, x);
        for (int j = 0; j < d; j++) {
            out[outOff + j] = (float) x[j];
        }
    }

    /**
     * Assembles {@code A} (lower triangle) and {@code b} and factors {@code A} in place. Returns the number of observed entries;
     * when it is 0 nothing is factored (the solution is the zero vector).
     */
    int factorize(float[] gram, float reg, Confidence confidence, float[] y, int[] indices, float[] values, int from, int to, int row) {
        int dd = d * d;
        for (int i = 0; i < dd; i++) {
            a[i] = gram[i];
        }
        for (int j = 0; j < d; j++) {
            a[j * d + j] += reg;
            b[j] = 0;
        }
        int observed = 0;
        for (int q = from; q < to; q++) {
            float v = values[q];
            if ((v > 0) == false) {
                continue;
            }
            observed++;
            double c = confidence.of(v);
            double cm1 = c - 1.0;
            int off = (indices == null ? q : indices[q]) * d;
            for (int i = 0; i < d; i++) {
                double yi = y[off + i];
                b[i] += c * yi;
                if (cm1 != 0 && yi != 0) {
                    double s = cm1 * yi;
                    int base = i * d;
                    for (int k = 0; k <= i; k++) {
                        a[base + k] += s * y[off + k];
                    }
                }
            }
        }
        if (observed == 0) {
            return 0;
        }
        int pivot = Cholesky.factor(a, d);
        if (pivot >= 0) {
            throw new NotPositiveDefiniteException(row, pivot, reg);
        }
        return observed;
    }

    /** After {@link #factorize}: solves {@code A z = rhs} in place using the factor. */
    void solveFactored(double[] rhs) {
        Cholesky.solve(a, d, rhs);
    }

    /** After {@link #factorize}: the assembled right-hand side {@code b} (read-only view of scratch). */
    double[] rhs() {
        return b;
    }

    /**
     * Conjugate gradient, warm-started from {@code x0 = xs[xOff..xOff+d)} and written back there, computing {@code A v} implicitly
     * as {@code YtY v + lambda v + sum_j (c_j - 1)(y_j . v) y_j} (benfred/implicit's approach: no {@code d x d} matrix per row).
     */
    void solveConjugateGradient(float[] gram, float reg, Confidence confidence, float[] y, int[] indices, float[] values, int from,
                                int to, float[] xs, int xOff, int steps) {
        int len = to - from;
        if (conf.length < len) {
            conf = new float[Math.max(len, conf.length * 2)];
        }
        int observed = 0;
        for (int q = from; q < to; q++) {
            float v = values[q];
            if (v > 0) {
                conf[q - from] = confidence.of(v);
                observed++;
            } else {
                conf[q - from] = Float.NaN; // marker: unobserved
            }
        }
        if (observed == 0) {
            Arrays.fill(xs, xOff, xOff + d, 0f);
            return;
        }
        for (int j = 0; j < d; j++) {
            x[j] = xs[xOff + j];
        }
        // r = b - A x
        multiply(gram, reg, y, indices, from, to, x, r);
        for (int j = 0; j < d; j++) {
            r[j] = -r[j];
        }
        for (int q = from; q < to; q++) {
            float c = conf[q - from];
            if (c != c) {
                continue;
            }
            int off = (indices == null ? q : indices[q]) * d;
            for (int j = 0; j < d; j++) {
                r[j] += c * (double) y[off + j];
            }
        }
        System.arraycopy(r, 0, p, 0, d);
        double rsOld = dot(r, r);
        for (int step = 0; step < steps && rsOld > 1e-20; step++) {
            multiply(gram, reg, y, indices, from, to, p, ap);
            double pAp = dot(p, ap);
            if ((pAp > 0) == false) {
                break;
            }
            double alpha = rsOld / pAp;
            for (int j = 0; j < d; j++) {
                x[j] += alpha * p[j];
                r[j] -= alpha * ap[j];
            }
            double rsNew = dot(r, r);
            double beta = rsNew / rsOld;
            for (int j = 0; j < d; j++) {
                p[j] = r[j] + beta * p[j];
            }
            rsOld = rsNew;
        }
        for (int j = 0; j < d; j++) {
            xs[xOff + j] = (float) x[j];
        }
    }

    /** {@code out = (YtY + lambda I + sum_j (c_j - 1) y_j y_j^T) v}, using the confidences cached in {@link #conf}. */
    private void multiply(float[] gram, float reg, float[] y, int[] indices, int from, int to, double[] v, double[] out) {
        for (int i = 0; i < d; i++) {
            double s = reg * v[i];
            int base = i * d;
            for (int k = 0; k < d; k++) {
                s += gram[base + k] * v[k];
            }
            out[i] = s;
        }
        for (int q = from; q < to; q++) {
            float c = conf[q - from];
            if (c != c || c == 1f) {
                continue;
            }
            int off = (indices == null ? q : indices[q]) * d;
            double yv = Vectors.dot(y, off, v, d) * (c - 1.0);
            for (int i = 0; i < d; i++) {
                out[i] += yv * y[off + i];
            }
        }
    }

    private double dot(double[] u, double[] v) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += u[j] * v[j];
        }
        return s;
    }
}
