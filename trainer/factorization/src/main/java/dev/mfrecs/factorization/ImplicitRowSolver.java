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
 * longer than any seen before (the per-entry caches grow). The exact solve assembles and factors in double (it also serves
 * query-time fold-in and explain); conjugate gradient runs in float on the {@link DenseKernels} (SIMD where the JVM has the
 * Vector API). Every row's arithmetic depends only on that row's inputs, so results do not depend on the thread count.
 */
final class ImplicitRowSolver {

    private final int d;
    private final double[] a;
    private final double[] b;
    private final double[] x;
    /** Conjugate-gradient state, in float like the factors. */
    private final float[] fx;
    private final float[] fr;
    private final float[] fp;
    private final float[] fap;
    private final DenseKernels kernels = DenseKernels.get();
    /** The exact solve's current block of entry vectors in double, and their weights. */
    private final double[] chunk;
    private final double[] chunkWeight = new double[CHUNK];
    private final double[] chunkConf = new double[CHUNK];
    private final double[] dots = new double[4];
    /** Per observed entry of the current row: offset of its vector in {@code y}, its confidence, confidence minus alpha0. */
    private int[] offsets = new int[16];
    private double[] conf = new double[16];
    private double[] weight = new double[16];
    /** The same in float for the kernels, plus {@code alpha0 - c} and zeros (the fused residual and the plain product). */
    private float[] fconf = new float[16];
    private float[] fweight = new float[16];
    private float[] fminusWeight = new float[16];
    private float[] fzero = new float[16];
    /** The current row's entry vectors, packed consecutively for the conjugate-gradient passes (grows as needed, up to the cap). */
    private float[] packed = new float[0];

    /** Entries per double-precision block of the exact solve's assembly. */
    static final int CHUNK = 32;

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
        this.chunk = new double[CHUNK * d];
        this.fx = new float[d];
        this.fr = new float[d];
        this.fp = new float[d];
        this.fap = new float[d];
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
            fconf = new float[n];
            fweight = new float[n];
            fminusWeight = new float[n];
            fzero = new float[n];
        }
        int m = 0;
        for (int q = from; q < to; q++) {
            float v = values[q];
            if (v > 0) {
                double c = confidence.of(v);
                offsets[m] = (indices == null ? q : indices[q]) * d;
                conf[m] = c;
                weight[m] = c - alpha0;
                fconf[m] = (float) c;
                fweight[m] = (float) (c - alpha0);
                fminusWeight[m] = (float) (alpha0 - c);
                m++;
            }
        }
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
        // entries are converted to double CHUNK at a time into a small cache-resident buffer, whose weighted rank update (and
        // right-hand side) the kernels add to the system
        for (int start = 0; start < m; start += CHUNK) {
            int n = Math.min(CHUNK, m - start);
            for (int q = 0; q < n; q++) {
                int off = offsets[start + q];
                int dst = q * d;
                for (int i = 0; i < d; i++) {
                    chunk[dst + i] = y[off + i];
                }
            }
            System.arraycopy(weight, start, chunkWeight, 0, n);
            System.arraycopy(conf, start, chunkConf, 0, n);
            // pad to whole blocks of four with zero entries of zero weight: the kernels' four-entry blocks are several times
            // faster per entry than their one-entry tail
            int padded = (n + 3) & ~3;
            Arrays.fill(chunk, n * d, padded * d, 0.0);
            Arrays.fill(chunkWeight, n, padded, 0.0);
            Arrays.fill(chunkConf, n, padded, 0.0);
            kernels.lowerRankUpdate(a, b, d, chunk, chunkWeight, chunkConf, padded);
        }
        int pivot = Cholesky.factor(a, d, kernels, dots);
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
     * Conjugate gradient in float, warm-started from {@code x0 = xs[xOff..xOff+d)} and written back there, computing {@code A v}
     * implicitly as {@code alpha0 YtY v + lambda_row v + sum_j (c_j - alpha0)(y_j . v) y_j} (benfred/implicit's approach: no
     * {@code d x d} matrix per row) with the {@link DenseKernels}; the initial residual {@code b - A x0} is one fused pass.
     */
    void solveConjugateGradient(float[] gram, float reg, ImplicitAlsParams.Rendle rendle, int fixedCount, Confidence confidence,
                                float[] y, int[] indices, float[] values, int from, int to, float[] xs, int xOff, int steps) {
        float alpha0 = rendle.alpha0();
        int m = prepare(alpha0, confidence, indices, values, from, to);
        if (m == 0) {
            Arrays.fill(xs, xOff, xOff + d, 0f);
            return;
        }
        float lambda = (float) rendle.regularization(reg, m, fixedCount);
        DenseKernels k = kernels;
        float[] x = fx;
        float[] r = fr;
        float[] p = fp;
        float[] ap = fap;
        System.arraycopy(xs, xOff, x, 0, d);
        // r = b - A x = -(alpha0 YtY x + lambda x) + sum_j (c_j - (c_j - alpha0)(y_j . x)) y_j
        k.symmetricMultiply(gram, d, -alpha0, -lambda, x, r);
        float[] vectors = y;
        if ((long) m * d <= MAX_PACKED) {
            // the 1 + steps passes below read every entry's vector: copy them once into consecutive memory, so the later passes
            // stream (or hit cache) instead of gathering rows scattered over the whole fixed side (copying as part of the first
            // pass measured slower)
            if (packed.length < m * d) {
                packed = new float[Math.max(m * d, Math.min(MAX_PACKED, packed.length * 2))];
            }
            for (int q = 0; q < m; q++) {
                System.arraycopy(y, offsets[q], packed, q * d, d);
                offsets[q] = q * d;
            }
            vectors = packed;
        }
        k.sparseUpdate(vectors, offsets, fconf, fminusWeight, m, x, r, d);
        System.arraycopy(r, 0, p, 0, d);
        float rsOld = k.dot(r, 0, r, 0, d);
        for (int step = 0; step < steps && rsOld > 1e-20f; step++) {
            k.symmetricMultiply(gram, d, alpha0, lambda, p, ap);
            k.sparseUpdate(vectors, offsets, fzero, fweight, m, p, ap, d);
            float pAp = k.dot(p, 0, ap, 0, d);
            if ((pAp > 0) == false) {
                break;
            }
            float alpha = rsOld / pAp;
            k.axpy(alpha, p, 0, x, 0, d);
            k.axpy(-alpha, ap, 0, r, 0, d);
            float rsNew = k.dot(r, 0, r, 0, d);
            float beta = rsNew / rsOld;
            for (int j = 0; j < d; j++) {
                p[j] = r[j] + beta * p[j];
            }
            rsOld = rsNew;
        }
        System.arraycopy(x, 0, xs, xOff, d);
    }
}
