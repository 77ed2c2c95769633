package dev.mfrecs.factorization;

import java.util.SplittableRandom;

/**
 * Implicit-feedback alternating least squares (Hu, Koren, Volinsky 2008), following benfred/implicit's design: it minimizes
 * <pre>
 *   sum_{u,i} c_ui (p_ui - x_u . y_i)^2 + sum_u lambda_u |x_u|^2 + sum_i lambda_i |y_i|^2
 * </pre>
 * over all user-item pairs, where {@code p_ui = 1} and {@code c_ui = confidence(r_ui)} for stored entries with {@code r_ui > 0} and
 * {@code p_ui = 0}, {@code c_ui = alpha0} otherwise (stored entries {@code <= 0} count as unobserved), with
 * {@code lambda_u = lambda (|I_u| + alpha0 |I|)^nu} and {@code lambda_i = lambda (|U_i| + alpha0 |U|)^nu} (Rendle et al. 2021, see
 * {@link ImplicitAlsParams.Rendle}; the default {@code alpha0 = 1, nu = 0} is the classic objective with one {@code lambda}).
 * Each iteration solves every user against fixed items, then every item against fixed users; each half-sweep computes the Gram
 * matrix of the fixed side once (in fixed row chunks, so in parallel yet bit-identical for any thread count) and solves rows
 * independently in parallel with {@link ImplicitRowSolver}, the same kernel {@link ImplicitFoldIn} uses; rows are handed out in
 * small blocks from a shared counter ({@link ParallelRows}), which balances the skewed row lengths of real data. Because each
 * row's solve reads only the fixed side and writes only its own row, and initialization draws only from the seed, results are
 * identical for any thread count.
 */
public final class ImplicitAls {

    /** Standard deviation of the Gaussian initialization of both sides (rows without observed entries start at zero). */
    static final double INIT_SCALE = 0.01;

    private ImplicitAls() {}

    /** Trains a model from a users x items matrix of raw interaction values. */
    public static FactorModel train(CsrMatrix userItems, ImplicitAlsParams params, TrainingListener listener) {
        FactorModel model = initialize(userItems, params);
        // the item side's rows: conjugate gradient reads them packed (4 bytes an entry instead of 8) when the values allow
        PackedTranspose packed = params.solver() == Solver.CG ? PackedTranspose.of(userItems) : null;
        CsrMatrix itemUsers = packed == null ? userItems.transpose() : null;
        TrainingListener l = listener == null ? TrainingListener.NONE : listener;
        // one set of per-thread solvers (and their packing buffers, up to 2 MB each) for the whole run: allocating them per
        // half-sweep was most of the run's garbage, which the JVM's heap grew to hold
        ImplicitRowSolver[] solvers = new ImplicitRowSolver[params.threads()];
        for (int it = 1; it <= params.iterations(); it++) {
            long start = System.nanoTime();
            halfSweep(userItems, model.itemFactors(), model.items(), model.userFactors(), params, solvers);
            if (packed != null) {
                halfSweep(packed.rows(), packed.cols(), packed.indptr(), packed.entries(), null, packed.dictionary(), packed.codeBits(),
                    model.userFactors(), model.users(), model.itemFactors(), params, null, solvers);
            } else {
                halfSweep(itemUsers, model.userFactors(), model.users(), model.itemFactors(), params, solvers);
            }
            l.iteration(it, params.iterations(), (System.nanoTime() - start) / 1e9);
        }
        return model;
    }

    /**
     * Which dense kernels this JVM's conjugate-gradient solves and Gram matrices run on: {@code simd (...)} when the JVM was started
     * with {@code --add-modules=jdk.incubator.vector} (as {@code ./recsys} does), {@code scalar} otherwise. For logs.
     */
    public static String kernels() {
        return DenseKernels.describe();
    }

    /** The seeded random starting point of {@link #train}: Gaussian rows of scale 0.01, zero for rows without observed entries. */
    public static FactorModel initialize(CsrMatrix userItems, ImplicitAlsParams params) {
        int d = params.factors();
        SplittableRandom root = new SplittableRandom(params.seed());
        SplittableRandom userRandom = root.split();
        SplittableRandom itemRandom = root.split();
        float[] users = RandomInit.gaussian(userRandom, userItems.rows(), d, INIT_SCALE, userItems, true);
        // items with a positive entry, from the columns (no transpose needed)
        boolean[] observed = new boolean[userItems.cols()];
        int[] indices = userItems.indices();
        float[] values = userItems.values();
        for (int p = 0; p < userItems.nnz(); p++) {
            if (values[p] > 0) {
                observed[indices[p]] = true;
            }
        }
        float[] items = RandomInit.gaussian(itemRandom, userItems.cols(), d, INIT_SCALE, observed);
        return new FactorModel(d, userItems.rows(), userItems.cols(), users, items);
    }

    /** One full iteration in place: users against fixed items, then items against fixed users. */
    public static void iterate(CsrMatrix userItems, CsrMatrix itemUsers, FactorModel model, ImplicitAlsParams params) {
        halfSweep(userItems, model.itemFactors(), model.items(), model.userFactors(), params);
        halfSweep(itemUsers, model.userFactors(), model.users(), model.itemFactors(), params);
    }

    /**
     * Re-solves every row of {@code rows} (e.g. users x items) in place in {@code solved} against the fixed {@code fixedCount x d}
     * factors (e.g. items). With {@link Solver#CG} the current rows of {@code solved} are the warm start; with
     * {@link Solver#CHOLESKY} every row becomes the exact minimizer given the fixed side.
     *
     * @throws NotPositiveDefiniteException with the Cholesky solver, if a row system is singular (only possible with tiny
     *                                      regularization)
     */
    public static void halfSweep(CsrMatrix rows, float[] fixed, int fixedCount, float[] solved, ImplicitAlsParams params) {
        halfSweep(rows, fixed, fixedCount, solved, params, new ImplicitRowSolver[params.threads()]);
    }

    /**
     * As {@link #halfSweep(CsrMatrix, float[], int, float[], ImplicitAlsParams)} with the fixed side's Gram matrix {@code gram}
     * ({@code d x d}, as {@link Gram#compute} returns it for {@code fixed}) computed by the caller, so a distributed engine computes it
     * once and every partition solves a block of rows against it. {@code rows} may hold any subset of the rows (a block, with global
     * column numbers: {@code rows.cols() == fixedCount}); each row's result is bit-identical to the one the other overload computes,
     * since a row's solve reads only the fixed side, the Gram matrix (bit-identical for any thread count) and its own entries.
     */
    public static void halfSweep(CsrMatrix rows, float[] fixed, int fixedCount, float[] solved, ImplicitAlsParams params, float[] gram) {
        CsrMatrix.requireLength("ImplicitAls.halfSweep", "gram", gram.length, (long) params.factors() * params.factors());
        halfSweep(rows, fixed, fixedCount, solved, params, gram, new ImplicitRowSolver[params.threads()]);
    }

    /** As the public {@code halfSweep}, with worker {@code w}'s solver kept in {@code solvers[w]} (created when missing). */
    private static void halfSweep(CsrMatrix rows, float[] fixed, int fixedCount, float[] solved, ImplicitAlsParams params,
                                  ImplicitRowSolver[] solvers) {
        halfSweep(rows, fixed, fixedCount, solved, params, null, solvers);
    }

    /** As above; {@code precomputedGram} is the fixed side's Gram matrix, or null to compute it here. */
    private static void halfSweep(CsrMatrix rows, float[] fixed, int fixedCount, float[] solved, ImplicitAlsParams params,
                                  float[] precomputedGram, ImplicitRowSolver[] solvers) {
        halfSweep(rows.rows(), rows.cols(), rows.indptr(), rows.indices(), rows.values(), null, 0, fixed, fixedCount, solved, params,
            precomputedGram, solvers);
    }

    /**
     * The half-sweep on rows given as arrays: CSR ({@code dictionary} null) or a {@link PackedTranspose}'s entries ({@code values}
     * null; conjugate gradient only); {@code precomputedGram} is the fixed side's Gram matrix, or null to compute it here.
     */
    private static void halfSweep(int rowCount, int colCount, int[] indptr, int[] indices, float[] values, float[] dictionary,
                                  int codeBits, float[] fixed, int fixedCount, float[] solved, ImplicitAlsParams params,
                                  float[] precomputedGram, ImplicitRowSolver[] solvers) {
        int d = params.factors();
        if (colCount != fixedCount) {
            throw new IllegalArgumentException("ImplicitAls.halfSweep: matrix has [" + colCount + "] columns but there are ["
                + fixedCount + "] fixed factor rows");
        }
        CsrMatrix.requireLength("ImplicitAls.halfSweep", "fixed", fixed.length, (long) fixedCount * d);
        CsrMatrix.requireLength("ImplicitAls.halfSweep", "solved", solved.length, (long) rowCount * d);
        int threads = params.threads();
        boolean exact = params.solver() == Solver.CHOLESKY;
        if (exact && dictionary != null) {
            throw new IllegalStateException("ImplicitAls.halfSweep: packed rows are solved by conjugate gradient only");
        }
        // compiles the SIMD kernels (once per JVM) before they are needed, instead of running them cold for the first epoch
        if (exact) {
            KernelWarmup.exactSolve();
        } else {
            KernelWarmup.conjugateGradient(d);
        }
        float[] gram = precomputedGram != null ? precomputedGram : Gram.compute(fixed, fixedCount, d, threads);
        // conjugate gradient reads YtY with the padded row stride of its kernels
        float[] cgGram = exact ? null : padded(gram, d);
        float reg = params.regularization();
        Confidence confidence = params.confidence();
        ImplicitAlsParams.Rendle rendle = params.rendle();
        int steps = params.cgSteps();
        ParallelRows.run("mfrecs-ials", rowCount, threads, (worker, from, to) -> {
            ImplicitRowSolver solver = solvers[worker];
            if (solver == null) {
                solver = new ImplicitRowSolver(d);
                solvers[worker] = solver;
            }
            if (exact) {
                for (int u = from; u < to; u++) {
                    solver.solveCholesky(gram, reg, rendle, fixedCount, confidence, fixed, indices, values, indptr[u], indptr[u + 1],
                        solved, u * d, u);
                }
            } else {
                solver.solveConjugateGradientRows(cgGram, reg, rendle, fixedCount, confidence, fixed, indptr, indices, values, dictionary,
                    codeBits, from, to, solved, steps);
            }
        });
    }

    /**
     * {@code gram} ({@code d x d}) with the row stride of the conjugate-gradient kernels ({@link DenseKernels#paddedDimension}) and
     * {@link ImplicitRowSolver#gramRows} rows, zero beyond {@code d}; {@code gram} itself when those are {@code d}.
     */
    private static float[] padded(float[] gram, int d) {
        int dp = DenseKernels.paddedDimension(d);
        int rows = ImplicitRowSolver.gramRows(d);
        if (dp == d && rows == d) {
            return gram;
        }
        float[] out = new float[rows * dp];
        for (int k = 0; k < d; k++) {
            System.arraycopy(gram, k * d, out, k * dp, d);
        }
        return out;
    }

    /**
     * The classic training objective ({@link ImplicitAlsParams.Rendle#NONE}) of {@code model} on {@code userItems}; see
     * {@link #loss(CsrMatrix, FactorModel, float, Confidence, ImplicitAlsParams.Rendle)}.
     */
    public static double loss(CsrMatrix userItems, FactorModel model, float regularization, Confidence confidence) {
        return loss(userItems, model, regularization, confidence, ImplicitAlsParams.Rendle.NONE);
    }

    /**
     * The training objective (see the class javadoc) of {@code model} on {@code userItems}, in double precision, in
     * {@code O(nnz * d + (users + items) * d^2)} by expanding the sum over all pairs through the item Gram matrix:
     * {@code alpha0 sum_u x_u^T YtY x_u + sum_observed (c_ui (1 - s_ui)^2 - alpha0 s_ui^2)} plus the row-scaled regularization.
     */
    public static double loss(CsrMatrix userItems, FactorModel model, float regularization, Confidence confidence,
                              ImplicitAlsParams.Rendle rendle) {
        int d = model.factors();
        if (userItems.rows() != model.users() || userItems.cols() != model.items()) {
            throw new IllegalArgumentException("ImplicitAls.loss: matrix is [" + userItems.rows() + " x " + userItems.cols()
                + "] but model is [" + model.users() + " x " + model.items() + "]");
        }
        float[] xs = model.userFactors();
        float[] ys = model.itemFactors();
        double[] gram = new double[d * d];
        Gram.accumulate(ys, model.items(), d, gram);
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                gram[a * d + b] = gram[b * d + a];
            }
        }
        int[] indptr = userItems.indptr();
        int[] indices = userItems.indices();
        float[] values = userItems.values();
        double alpha0 = rendle.alpha0();
        int[] itemCounts = new int[model.items()];
        double loss = 0;
        for (int u = 0; u < model.users(); u++) {
            int off = u * d;
            double quadratic = 0;
            for (int a = 0; a < d; a++) {
                double s = 0;
                for (int b = 0; b < d; b++) {
                    s += gram[a * d + b] * xs[off + b];
                }
                quadratic += s * xs[off + a];
            }
            loss += alpha0 * quadratic;
            int observed = 0;
            for (int p = indptr[u]; p < indptr[u + 1]; p++) {
                if (values[p] > 0) {
                    observed++;
                    itemCounts[indices[p]]++;
                    double c = confidence.of(values[p]);
                    double s = Vectors.dotDouble(xs, off, ys, indices[p] * d, d);
                    // c (1 - s)^2 replaces the alpha0 s^2 the Gram term counted for this pair
                    loss += c * (1 - s) * (1 - s) - alpha0 * s * s;
                }
            }
            loss += rendle.regularization(regularization, observed, model.items()) * Vectors.squaredNorm(xs, off, d);
        }
        for (int i = 0; i < model.items(); i++) {
            loss += rendle.regularization(regularization, itemCounts[i], model.users()) * Vectors.squaredNorm(ys, i * d, d);
        }
        return loss;
    }
}
