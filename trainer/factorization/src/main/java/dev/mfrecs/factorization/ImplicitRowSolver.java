package dev.mfrecs.factorization;

import java.util.Arrays;

/**
 * The one implicit-ALS row kernel, used for every training row (both sides, both solvers) and for query-time fold-in and explain,
 * so a folded-in user is computed exactly like a trained one. For a row with observed entries {@code j} (value {@code r_j > 0},
 * confidence {@code c_j}) against fixed vectors {@code y_j} it solves
 * <pre>
 *   (alpha0 YtY + sum_j (c_j - alpha0) y_j y_j^T + lambda_row I) x = sum_j c_j y_j
 *   lambda_row = lambda (observed + alpha0 * fixedCount)^nu
 * </pre>
 * with {@code alpha0} and {@code nu} from {@link ImplicitAlsParams.Rendle} ({@code alpha0 = 1, nu = 0} is Hu, Koren, Volinsky's
 * {@code (YtY + sum_j (c_j - 1) y_j y_j^T + lambda I) x = sum_j c_j y_j}). Entries with value {@code <= 0} are treated as
 * unobserved (skipped); a row without observed entries gets the zero vector.
 * <p>
 * The entries of a row are positions {@code [from, to)} of {@code indices}/{@code values}; the vector of position {@code p} is row
 * {@code indices[p]} of {@code y}, or row {@code p} when {@code indices} is {@code null} (fold-in: the history vectors are packed).
 * All scratch is owned by the instance (not thread-safe; one per thread) and nothing is allocated per call except when a row is
 * longer than any seen before (the per-entry caches grow). The inner loops are written for the JIT: element-wise updates
 * ({@code out += s * y}) as plain loops it vectorizes, reductions (dot products) with four independent accumulators it can
 * pipeline; every row's arithmetic depends only on that row's inputs, so results do not depend on the thread count.
 */
final class ImplicitRowSolver {

    private final int d;
    private final double[] a;
    private final double[] b;
    private final double[] x;
    private final double[] r;
    private final double[] p;
    private final double[] ap;
    /** Per observed entry of the current row: offset of its vector in {@code y}, its confidence, confidence minus alpha0. */
    private int[] offsets = new int[16];
    private double[] conf = new double[16];
    private double[] weight = new double[16];
    private int observed;
    /** The current row's entry vectors, packed consecutively for the conjugate-gradient passes (grows as needed, up to the cap). */
    private float[] packed = new float[0];

    /** Rows with more than this many floats of entry vectors (16 MB) are read in place instead of packed. */
    static final int MAX_PACKED = 1 << 22;

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
     * @param fixedCount number of rows on the fixed side ({@code |I|} for a user row), for the {@code nu} regularization
     * @param row        reported in a {@link NotPositiveDefiniteException}; {@code -1} for fold-in
     */
    void solveCholesky(float[] gram, float reg, ImplicitAlsParams.Rendle rendle, int fixedCount, Confidence confidence, float[] y,
                       int[] indices, float[] values, int from, int to, float[] out, int outOff, int row) {
        if (factorize(gram, reg, rendle, fixedCount, confidence, y, indices, values, from, to, row) == 0) {
            Arrays.fill(out, outOff, outOff + d, 0f);
            return;
        }
        System.arraycopy(b, 0, x, 0, d);
        Cholesky.solve(a, d, x);
        for (int j = 0; j < d; j++) {
            out[outOff + j] = (float) x[j];
        }
    }

    /** Caches offset, confidence and confidence minus alpha0 of each observed entry of the row; returns their number. */
    private int prepare(float alpha0, Confidence confidence, int[] indices, float[] values, int from, int to) {
        int len = to - from;
        if (offsets.length < len) {
            int n = Math.max(len, offsets.length * 2);
            offsets = new int[n];
            conf = new double[n];
            weight = new double[n];
        }
        int m = 0;
        for (int q = from; q < to; q++) {
            float v = values[q];
            if (v > 0) {
                double c = confidence.of(v);
                offsets[m] = (indices == null ? q : indices[q]) * d;
                conf[m] = c;
                weight[m] = c - alpha0;
                m++;
            }
        }
        observed = m;
        return m;
    }

    /**
     * Assembles {@code A} (lower triangle) and {@code b} and factors {@code A} in place. Returns the number of observed entries;
     * when it is 0 nothing is factored (the solution is the zero vector).
     */
    int factorize(float[] gram, float reg, ImplicitAlsParams.Rendle rendle, int fixedCount, Confidence confidence, float[] y,
                  int[] indices, float[] values, int from, int to, int row) {
        float alpha0 = rendle.alpha0();
        int m = prepare(alpha0, confidence, indices, values, from, to);
        if (m == 0) {
            return 0;
        }
        double lambda = rendle.regularization(reg, m, fixedCount);
        for (int i = 0; i < d; i++) {
            int base = i * d;
            for (int k = 0; k <= i; k++) {
                a[base + k] = alpha0 * (double) gram[base + k];
            }
            a[base + i] += lambda;
            b[i] = 0;
        }
        for (int q = 0; q < m; q++) {
            double c = conf[q];
            int off = offsets[q];
            for (int i = 0; i < d; i++) {
                b[i] += c * y[off + i];
            }
        }
        int q = 0;
        for (; q + 3 < m; q += 4) {
            // rank-4 update of the lower triangle: one pass over A per four entries
            double w0 = weight[q];
            double w1 = weight[q + 1];
            double w2 = weight[q + 2];
            double w3 = weight[q + 3];
            int o0 = offsets[q];
            int o1 = offsets[q + 1];
            int o2 = offsets[q + 2];
            int o3 = offsets[q + 3];
            for (int i = 0; i < d; i++) {
                double s0 = w0 * y[o0 + i];
                double s1 = w1 * y[o1 + i];
                double s2 = w2 * y[o2 + i];
                double s3 = w3 * y[o3 + i];
                int base = i * d;
                for (int k = 0; k <= i; k++) {
                    a[base + k] += (s0 * y[o0 + k] + s1 * y[o1 + k]) + (s2 * y[o2 + k] + s3 * y[o3 + k]);
                }
            }
        }
        for (; q < m; q++) {
            double w = weight[q];
            int off = offsets[q];
            if (w == 0) {
                continue;
            }
            for (int i = 0; i < d; i++) {
                double s = w * y[off + i];
                int base = i * d;
                for (int k = 0; k <= i; k++) {
                    a[base + k] += s * y[off + k];
                }
            }
        }
        int pivot = Cholesky.factor(a, d);
        if (pivot >= 0) {
            throw new NotPositiveDefiniteException(row, pivot, reg);
        }
        return m;
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
     * as {@code alpha0 YtY v + lambda_row v + sum_j (c_j - alpha0)(y_j . v) y_j} (benfred/implicit's approach: no {@code d x d}
     * matrix per row).
     */
    void solveConjugateGradient(float[] gram, float reg, ImplicitAlsParams.Rendle rendle, int fixedCount, Confidence confidence,
                                float[] y, int[] indices, float[] values, int from, int to, float[] xs, int xOff, int steps) {
        float alpha0 = rendle.alpha0();
        int m = prepare(alpha0, confidence, indices, values, from, to);
        if (m == 0) {
            Arrays.fill(xs, xOff, xOff + d, 0f);
            return;
        }
        double lambda = rendle.regularization(reg, m, fixedCount);
        float[] vectors = y;
        if ((long) m * d <= MAX_PACKED) {
            // the 1 + steps passes below read every entry's vector: copy them once into consecutive memory, so the later passes
            // stream (or hit cache) instead of gathering rows scattered over the whole fixed side
            if (packed.length < m * d) {
                packed = new float[Math.max(m * d, Math.min(MAX_PACKED, packed.length * 2))];
            }
            for (int q = 0; q < m; q++) {
                System.arraycopy(y, offsets[q], packed, q * d, d);
                offsets[q] = q * d;
            }
            vectors = packed;
        }
        for (int j = 0; j < d; j++) {
            x[j] = xs[xOff + j];
        }
        // r = b - A x
        multiply(gram, alpha0, lambda, vectors, x, r);
        for (int j = 0; j < d; j++) {
            r[j] = -r[j];
        }
        for (int q = 0; q < m; q++) {
            axpy(r, conf[q], vectors, offsets[q]);
        }
        System.arraycopy(r, 0, p, 0, d);
        double rsOld = dot(r, r);
        for (int step = 0; step < steps && rsOld > 1e-20; step++) {
            multiply(gram, alpha0, lambda, vectors, p, ap);
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

    /**
     * {@code out = alpha0 YtY v + lambda v + sum_j (c_j - alpha0)(y_j . v) y_j} for the entries cached by {@link #prepare}. The
     * Gram product runs over rows of the symmetric {@code YtY} ({@code out += v_k YtY[k, :]}) so every inner loop is an update the
     * JIT vectorizes rather than a reduction.
     */
    private void multiply(float[] gram, float alpha0, double lambda, float[] y, double[] v, double[] out) {
        Arrays.fill(out, 0, d, 0.0);
        int k = 0;
        for (; k + 3 < d; k += 4) {
            // four rows of YtY per pass over out: a quarter of the loads and stores of out
            double v0 = v[k];
            double v1 = v[k + 1];
            double v2 = v[k + 2];
            double v3 = v[k + 3];
            int b0 = k * d;
            int b1 = b0 + d;
            int b2 = b1 + d;
            int b3 = b2 + d;
            for (int i = 0; i < d; i++) {
                out[i] += (v0 * gram[b0 + i] + v1 * gram[b1 + i]) + (v2 * gram[b2 + i] + v3 * gram[b3 + i]);
            }
        }
        for (; k < d; k++) {
            double vk = v[k];
            int base = k * d;
            for (int i = 0; i < d; i++) {
                out[i] += vk * gram[base + i];
            }
        }
        for (int i = 0; i < d; i++) {
            out[i] = alpha0 * out[i] + lambda * v[i];
        }
        int m = observed;
        int q = 0;
        for (; q + 3 < m; q += 4) {
            // four entries per pass: v is loaded once for four dot products (eight independent sums the CPU can overlap) and out
            // once for four updates
            int o0 = offsets[q];
            int o1 = offsets[q + 1];
            int o2 = offsets[q + 2];
            int o3 = offsets[q + 3];
            double s00 = 0;
            double s01 = 0;
            double s10 = 0;
            double s11 = 0;
            double s20 = 0;
            double s21 = 0;
            double s30 = 0;
            double s31 = 0;
            int j = 0;
            for (int end = d - 1; j < end; j += 2) {
                double va = v[j];
                double vb = v[j + 1];
                s00 += y[o0 + j] * va;
                s01 += y[o0 + j + 1] * vb;
                s10 += y[o1 + j] * va;
                s11 += y[o1 + j + 1] * vb;
                s20 += y[o2 + j] * va;
                s21 += y[o2 + j + 1] * vb;
                s30 += y[o3 + j] * va;
                s31 += y[o3 + j + 1] * vb;
            }
            if (j < d) {
                double va = v[j];
                s00 += y[o0 + j] * va;
                s10 += y[o1 + j] * va;
                s20 += y[o2 + j] * va;
                s30 += y[o3 + j] * va;
            }
            double t0 = weight[q] * (s00 + s01);
            double t1 = weight[q + 1] * (s10 + s11);
            double t2 = weight[q + 2] * (s20 + s21);
            double t3 = weight[q + 3] * (s30 + s31);
            for (int i = 0; i < d; i++) {
                out[i] += (t0 * y[o0 + i] + t1 * y[o1 + i]) + (t2 * y[o2 + i] + t3 * y[o3 + i]);
            }
        }
        for (; q < m; q++) {
            if (weight[q] != 0) {
                int off = offsets[q];
                axpy(out, weight[q] * Vectors.dot4(y, off, v, d), y, off);
            }
        }
    }

    /** {@code out += s * y[off..off+d)}. */
    private void axpy(double[] out, double s, float[] y, int off) {
        for (int i = 0; i < d; i++) {
            out[i] += s * y[off + i];
        }
    }

    private double dot(double[] u, double[] v) {
        return Vectors.dot4(u, v, d);
    }
}
