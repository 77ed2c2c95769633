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
 * Vector API), a few rows at a time in lock step. Every row's arithmetic depends only on that row's inputs (not on the rows
 * solved next to it, nor on whether the SIMD kernels or their bit-identical stand-in ran), so results do not depend on the thread
 * count.
 */
final class ImplicitRowSolver {

    private final int d;
    private final double[] a;
    private final double[] b;
    private final double[] x;
    /** The padded length of conjugate-gradient vectors and the rows of the padded Gram matrix they read. */
    private final int dp;
    private final int maxPacked;
    private final int kEnd;
    /** Conjugate-gradient state of a group of rows, in float like the factors, row {@code j} at {@code j * dp}. */
    private final float[] gx;
    private final float[] gr;
    private final float[] gp;
    private final float[] gap;
    private final float[] rs = new float[GROUP];
    private final float[] lambda = new float[GROUP];
    private final float[] negLambda = new float[GROUP];
    private final int[] all = new int[GROUP];
    private final int[] live = new int[GROUP];
    /** The group's rows: row number, first entry index and entry count. */
    private final int[] groupRow = new int[GROUP];
    private final int[] groupStart = new int[GROUP];
    private final int[] groupCount = new int[GROUP];
    private final DenseKernels kernels = DenseKernels.get();
    /** The exact solve's current block of entry vectors in double, and their weights. */
    private final double[] chunk;
    private final double[] chunkWeight = new double[CHUNK];
    private final double[] chunkConf = new double[CHUNK];
    private final double[] dots = new double[4];
    /**
     * Per observed entry of the current row (exact solve) or group (conjugate gradient): offset of its vector in {@code y}, its
     * confidence, confidence minus alpha0.
     */
    private int[] offsets = new int[16];
    private double[] conf = new double[16];
    private double[] weight = new double[16];
    /** The same in float for the kernels, plus {@code alpha0 - c} and zeros (the fused residual and the plain product). */
    private float[] fconf = new float[16];
    private float[] fweight = new float[16];
    private float[] fminusWeight = new float[16];
    private float[] fzero = new float[16];
    /** The current group's entry vectors, packed consecutively for the conjugate-gradient passes (grows as needed, to the cap). */
    private float[] packed = new float[0];

    /** Entries per double-precision block of the exact solve's assembly. */
    static final int CHUNK = 32;

    /**
     * Rows solved together by conjugate gradient. Four: the {@code YtY v} products of a group read each slice of {@code YtY} once
     * for two rows, and a group's packed vectors (about 0.8 MB for four ML-20M item rows at d = 128) still fit a core's L2 cache.
     */
    static final int GROUP = 4;

    /**
     * Floats of packed entry vectors per group at most (2 MB): a longer group is cut, and a row longer than this alone is not packed
     * once but gathered again, chunk by chunk, in every pass. Packing pays while the group stays in a core's cache (1 to 2 MB of L2);
     * beyond that every pass streams it from memory like the gather does: on the ML-20M-shaped log at d = 128 (one thread's CPU
     * time per epoch, same factors) caps of 1, 4 and 16 MB measured within 3 % of each other, and the 16 MB it was cost 32 MB of
     * heap at two threads.
     */
    static final int MAX_PACKED = 1 << 19;

    ImplicitRowSolver(int d) {
        this(d, MAX_PACKED);
    }

    /** With another cap on packed floats per group than {@link #MAX_PACKED} (tests: the streamed path). */
    ImplicitRowSolver(int d, int maxPacked) {
        if (d <= 0) {
            throw new IllegalArgumentException("ImplicitRowSolver: [factors] must be > 0 (was [" + d + "])");
        }
        this.d = d;
        this.maxPacked = maxPacked;
        this.a = new double[d * d];
        this.b = new double[d];
        this.x = new double[d];
        this.chunk = new double[CHUNK * d];
        this.dp = DenseKernels.paddedDimension(d);
        this.kEnd = gramRows(d);
        this.gx = new float[GROUP * dp];
        this.gr = new float[GROUP * dp];
        this.gp = new float[GROUP * dp];
        this.gap = new float[GROUP * dp];
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
        ensureExactEntries(to - from);
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
        return m;
    }

    /**
     * Grows the exact solve's per-entry caches to hold at least {@code n} entries. Each solver grows only its own caches: the
     * longest rows (a popular item's users) make them megabytes per thread, which the other solver does not need.
     */
    private void ensureExactEntries(int n) {
        if (offsets.length < n) {
            offsets = new int[Math.max(n, offsets.length * 2)];
        }
        if (conf.length < n) {
            int size = Math.max(n, conf.length * 2);
            conf = new double[size];
            weight = new double[size];
        }
    }

    /** Grows conjugate gradient's per-entry caches to hold at least {@code n} entries, keeping their contents. */
    private void ensureCgEntries(int n) {
        if (offsets.length < n) {
            offsets = Arrays.copyOf(offsets, Math.max(n, offsets.length * 2));
        }
        if (fconf.length < n) {
            int size = Math.max(n, fconf.length * 2);
            fconf = Arrays.copyOf(fconf, size);
            fweight = Arrays.copyOf(fweight, size);
            fminusWeight = Arrays.copyOf(fminusWeight, size);
            fzero = new float[size];
        }
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
     * Conjugate gradient in float for rows {@code [from, to)} of a CSR matrix against the fixed {@code y}, warm-started from their
     * current vectors in {@code xs} (row {@code u} at {@code u * d}) and written back there. {@code A v} is computed implicitly as
     * {@code alpha0 YtY v + lambda_row v + sum_j (c_j - alpha0)(y_j . v) y_j} (benfred/implicit's approach: no {@code d x d} matrix
     * per row); the initial residual {@code b - A x0} is one fused pass. Rows go through in groups of up to {@link #GROUP}, in
     * lock step, so that the {@code YtY v} products of a group share each load of {@code YtY}; each group's entry vectors are first
     * packed, padded to {@link DenseKernels#paddedDimension}, into consecutive memory, so the passes stream (or hit cache) instead
     * of gathering rows scattered over the fixed side. A row's arithmetic does not depend on its group.
     *
     * @param gram {@code YtY} with row stride {@link DenseKernels#paddedDimension}{@code (d)}, zero beyond {@code d}, at least
     *             {@code kEnd} rows ({@link #gramRows})
     */
    void solveConjugateGradientRows(float[] gram, float reg, ImplicitAlsParams.Rendle rendle, int fixedCount, Confidence confidence,
                                    float[] y, int[] indptr, int[] indices, float[] values, int from, int to, float[] xs, int steps) {
        solveConjugateGradientRows(gram, reg, rendle, fixedCount, confidence, y, indptr, indices, values, null, 0, from, to, xs, steps);
    }

    /**
     * As {@link #solveConjugateGradientRows(float[], float, ImplicitAlsParams.Rendle, int, Confidence, float[], int[], int[], float[],
     * int, int, float[], int)}; with a {@code dictionary}, {@code indices} are a {@link PackedTranspose}'s entries (column in the
     * bits above {@code codeBits}, the number of the value in {@code dictionary} below) and {@code values} is not read. The same
     * arithmetic on the same values: the same result.
     */
    void solveConjugateGradientRows(float[] gram, float reg, ImplicitAlsParams.Rendle rendle, int fixedCount, Confidence confidence,
                                    float[] y, int[] indptr, int[] indices, float[] values, float[] dictionary, int codeBits, int from,
                                    int to, float[] xs, int steps) {
        int u = from;
        while (u < to) {
            int n = 0;
            int entries = 0;
            while (u < to && n < GROUP) {
                int len = indptr[u + 1] - indptr[u];
                if (n > 0 && (long) (entries + len) * dp > maxPacked) {
                    break;
                }
                int m = dictionary == null ? prepareCg(rendle.alpha0(), confidence, indices, values, indptr[u], indptr[u + 1], entries)
                    : prepareCgPacked(rendle.alpha0(), confidence, indices, dictionary, codeBits, indptr[u], indptr[u + 1], entries);
                if (m == 0) {
                    Arrays.fill(xs, u * d, u * d + d, 0f);
                    u++;
                    continue;
                }
                groupRow[n] = u;
                groupStart[n] = entries;
                groupCount[n] = m;
                lambda[n] = (float) rendle.regularization(reg, m, fixedCount);
                negLambda[n] = -lambda[n];
                entries += m;
                n++;
                u++;
            }
            if (n > 0) {
                solveGroup(gram, rendle.alpha0(), y, xs, steps, n, entries);
            }
        }
    }

    /** The rows of the padded Gram matrix the conjugate-gradient kernels read: {@code d} rounded up to 4. */
    static int gramRows(int d) {
        return (d + 3) & ~3;
    }

    private void solveGroup(float[] gram, float alpha0, float[] y, float[] xs, int steps, int n, int entries) {
        DenseKernels k = kernels;
        boolean stream = (long) entries * dp > maxPacked;
        if (stream == false) {
            if (packed.length < entries * dp) {
                packed = new float[Math.max(entries * dp, Math.min(maxPacked, packed.length * 2))];
            }
            k.gather(y, offsets, 0, entries, d, packed, 0, dp);
        }
        for (int j = 0; j < n; j++) {
            int off = j * dp;
            System.arraycopy(xs, groupRow[j] * d, gx, off, d);
            Arrays.fill(gx, off + d, off + dp, 0f);
            all[j] = j;
        }
        // r = b - A x = -(alpha0 YtY x + lambda x) + sum_j (c_j - (c_j - alpha0)(y_j . x)) y_j
        k.symmetricMultiply(gram, dp, kEnd, -alpha0, negLambda, gx, gr, all, n);
        for (int j = 0; j < n; j++) {
            sparse(k, stream, y, j, fconf, fminusWeight, gx, gr);
        }
        int active = 0;
        for (int j = 0; j < n; j++) {
            rs[j] = k.cgStart(gr, gp, j * dp, dp);
            if (rs[j] > 1e-20f) {
                live[active++] = j;
            }
        }
        for (int step = 0; step < steps && active > 0; step++) {
            k.symmetricMultiply(gram, dp, kEnd, alpha0, lambda, gp, gap, live, active);
            int still = 0;
            for (int a = 0; a < active; a++) {
                int j = live[a];
                sparse(k, stream, y, j, fzero, fweight, gp, gap);
                // NaN when p . Ap <= 0 (the row stops unchanged), which the test below also stops
                float rsNew = k.cgStep(gx, gr, gp, gap, j * dp, dp, rs[j]);
                rs[j] = rsNew;
                if (rsNew > 1e-20f) {
                    live[still++] = j;
                }
            }
            active = still;
        }
        for (int j = 0; j < n; j++) {
            System.arraycopy(gx, j * dp, xs, groupRow[j] * d, d);
        }
    }

    /**
     * One sparse pass of group row {@code j} ({@link DenseKernels#sparsePass}) on {@code v}, {@code out} (its slot at
     * {@code j * dp}): over its packed vectors, or, for a row too long to pack, gathering them again chunk by chunk (the same
     * arithmetic, entry after entry).
     */
    private void sparse(DenseKernels k, boolean stream, float[] y, int j, float[] add, float[] mul, float[] v, float[] out) {
        int start = groupStart[j];
        int m = groupCount[j];
        int off = j * dp;
        if (stream == false) {
            k.sparsePass(packed, start * dp, m, add, mul, start, v, off, out, off, dp);
            return;
        }
        int chunk = streamChunk();
        if (packed.length < chunk * dp) {
            packed = new float[chunk * dp];
        }
        for (int c = 0; c < m; c += chunk) {
            int len = Math.min(chunk, m - c);
            k.gather(y, offsets, start + c, len, d, packed, 0, dp);
            k.sparsePass(packed, 0, len, add, mul, start + c, v, off, out, off, dp);
        }
    }

    /** Entries per chunk of a streamed row: about 512 KB of vectors (half of a Zen 4 / Skylake-SP L2), at most the packing cap. */
    private int streamChunk() {
        return Math.max(4, Math.min(1 << 17, maxPacked) / dp);
    }

    /**
     * Appends offset (in {@code y}), confidence, {@code c - alpha0}, {@code alpha0 - c} and 0 of each observed entry of the row at
     * entry index {@code base} (growing the arrays as needed); returns their number.
     */
    private int prepareCg(float alpha0, Confidence confidence, int[] indices, float[] values, int from, int to, int base) {
        ensureCgEntries(base + (to - from));
        int m = base;
        for (int q = from; q < to; q++) {
            float v = values[q];
            if (v > 0) {
                double c = confidence.of(v);
                offsets[m] = indices[q] * d;
                fconf[m] = (float) c;
                fweight[m] = (float) (c - alpha0);
                fminusWeight[m] = (float) (alpha0 - c);
                m++;
            }
        }
        return m - base;
    }

    /** As {@link #prepareCg} on {@link PackedTranspose} entries: column {@code e >>> codeBits}, value {@code dictionary[low bits]}. */
    private int prepareCgPacked(float alpha0, Confidence confidence, int[] entries, float[] dictionary, int codeBits, int from, int to,
                                int base) {
        ensureCgEntries(base + (to - from));
        int mask = (1 << codeBits) - 1;
        int m = base;
        for (int q = from; q < to; q++) {
            int e = entries[q];
            float v = dictionary[e & mask];
            if (v > 0) {
                double c = confidence.of(v);
                offsets[m] = (e >>> codeBits) * d;
                fconf[m] = (float) c;
                fweight[m] = (float) (c - alpha0);
                fminusWeight[m] = (float) (alpha0 - c);
                m++;
            }
        }
        return m - base;
    }
}
