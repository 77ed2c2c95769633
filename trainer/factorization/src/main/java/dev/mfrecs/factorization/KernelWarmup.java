package dev.mfrecs.factorization;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Gets the SIMD kernels compiled before training leans on them. Vector API code runs dozens of times slower than plain Java
 * until C2 has compiled it (before that every vector is an object), and C2 only compiles a method after thousands of calls, then
 * takes tens of milliseconds per kernel: the first epoch of a run took ten times a warm one (the first Gram matrix alone a third
 * of a second), and the exact half-sweep that ends a training run as long again.
 * <p>
 * So before the first half-sweep of a kind (per JVM; for conjugate gradient per padded length), the calling thread calls each
 * kernel on small synthetic inputs until it runs at compiled speed: a few thousand cheap calls, then mostly waiting for the
 * compiler thread, a few hundred milliseconds in all. The kernels are called from one interpreted loop, so C2 compiles each of
 * them alone instead of inlined into a caller; then the plain-Java loops around them (the row solvers, the Gram matrix) are
 * called a few hundred times on tiny inputs so they are not interpreted either. The exact solve, which a training run needs once
 * at its end, is warmed by a daemon thread at one small solve a millisecond during the conjugate-gradient epochs (cold calls at
 * full rate, each allocating its vectors, slowed those epochs and made the heap grow), and finished if need be before the first
 * exact half-sweep. {@code -Dmfrecs.warmup.log=true} reports each warm-up on stderr.
 * <p>
 * Nothing here changes a result: the kernels compute the same bits whether compiled or not ({@link DenseKernels}).
 */
final class KernelWarmup {

    /** System property: when {@code true}, each warm-up reports its rounds and duration on stderr (for benchmarks). */
    static final String LOG_PROPERTY = "mfrecs.warmup.log";

    /** Bit {@code c}: the conjugate-gradient kernels were warmed for rows of {@code c} vectors ({@code c < 64}). */
    private static long warmed;
    /** The exact-solve probe, shared by the background and the foreground warm-up; null before either started. */
    private static ExactProbe exact;

    /** Rows of 64 vectors and more are not warmed up (their cold calls would cost more than the warm-up saves). */
    private static final int MAX_CHUNKS = 64;

    /** Stop waiting for the compiler after this long (e.g. on a JVM without C2, the kernels never get faster). */
    private static final long GIVE_UP_NANOS = 3_000_000_000L;

    /** How long the background exact-solve warm-up keeps going at most. */
    private static final long BACKGROUND_NANOS = 30_000_000_000L;

    /** Calls before a kernel's speed is trusted (the very first calls of a small kernel can be fast interpreted). */
    private static final int MIN_CALLS = 300;

    private KernelWarmup() {}

    /**
     * Before conjugate-gradient work on {@code d}-vectors: when the SIMD kernels run, makes sure they are compiled for that length
     * (once per JVM and length; concurrent callers wait for the first).
     */
    static void conjugateGradient(int d) {
        if ((DenseKernels.get() instanceof SimdKernels) == false) {
            return;
        }
        int dp = DenseKernels.paddedDimension(d);
        int chunks = dp / DenseKernels.get().lanes();
        if (chunks >= MAX_CHUNKS) {
            return;
        }
        synchronized (KernelWarmup.class) {
            if ((warmed & (1L << chunks)) != 0) {
                return;
            }
            long start = System.nanoTime();
            Probe probe = new Probe(d, dp);
            int rounds = probe.warm(DenseKernels.get());
            double kernels = (System.nanoTime() - start) / 1e6;
            drivers(d);
            warmed |= 1L << chunks;
            if (Boolean.getBoolean(LOG_PROPERTY)) {
                System.err.printf(Locale.ROOT, "mfrecs: conjugate-gradient kernels warmed for d=%d (padded %d): %d rounds, %.0f ms, "
                    + "%.0f ms with the loops around them%s%n", d, dp, rounds, kernels, (System.nanoTime() - start) / 1e6, probe.report());
            }
        }
        exactSolveInBackground();
    }

    /** The solver and Gram loops around the kernels, a few hundred times on tiny inputs (compiled kernels: milliseconds). */
    private static void drivers(int d) {
        SplittableRandom random = new SplittableRandom(5);
        int rows = 12;
        int cols = 20;
        int[] indptr = new int[rows + 1];
        int[] indices = new int[rows * 6];
        float[] values = new float[rows * 6];
        for (int u = 0; u < rows; u++) {
            indptr[u + 1] = indptr[u] + 6;
            for (int q = 0; q < 6; q++) {
                indices[u * 6 + q] = (u + 3 * q) % cols;
                values[u * 6 + q] = 1 + q % 3;
            }
        }
        float[] fixed = new float[cols * d];
        for (int i = 0; i < fixed.length; i++) {
            fixed[i] = (float) (random.nextGaussian() * 0.1);
        }
        float[] solved = new float[rows * d];
        float[] gram = Gram.compute(fixed, cols, d);
        int dp = DenseKernels.paddedDimension(d);
        float[] padded = new float[ImplicitRowSolver.gramRows(d) * dp];
        for (int k = 0; k < d; k++) {
            System.arraycopy(gram, k * d, padded, k * dp, d);
        }
        ImplicitRowSolver solver = new ImplicitRowSolver(d);
        Confidence confidence = Confidence.linear(10f);
        for (int rep = 0; rep < 400; rep++) {
            solver.solveConjugateGradientRows(padded, 0.1f, ImplicitAlsParams.Rendle.NONE, cols, confidence, fixed, indptr, indices, values,
                0, rows, solved, 3);
            if (rep % 40 == 0) {
                Gram.compute(fixed, cols, d, 2);
            }
        }
    }

    /**
     * Before an exact half-sweep (the last one of a training run, or training with the exact solver): when the SIMD kernels run,
     * calls the exact row solve (assembly, blocked Cholesky, substitution) on a small system until it runs at compiled speed
     * (once per JVM). Usually little is left to do: after the conjugate-gradient warm-up a daemon thread has been doing the same,
     * one solve a millisecond, during the conjugate-gradient epochs.
     */
    static void exactSolve() {
        if ((DenseKernels.get() instanceof SimdKernels) == false) {
            return;
        }
        ExactProbe probe;
        synchronized (KernelWarmup.class) {
            if (exact == null) {
                exact = new ExactProbe();
            }
            probe = exact;
        }
        long start = System.nanoTime();
        int before;
        int solves;
        synchronized (probe) {
            before = probe.solves;
            while (probe.compiled == false && System.nanoTime() - start < GIVE_UP_NANOS) {
                probe.step();
            }
            probe.compiled = true;
            solves = probe.solves;
        }
        if (Boolean.getBoolean(LOG_PROPERTY) && solves > before) {
            System.err.printf(Locale.ROOT, "mfrecs: exact-solve kernels warmed: %d solves (%d in the background before), %.0f ms, "
                + "last %.1f us (bound %.1f)%n", solves, before, (System.nanoTime() - start) / 1e6, probe.last / 1e3, probe.bound / 1e3);
        }
    }

    /** The background part of {@link #exactSolve}: one solve a millisecond until compiled, or until the foreground takes over. */
    private static void exactSolveInBackground() {
        synchronized (KernelWarmup.class) {
            if (exact != null) {
                return;
            }
            exact = new ExactProbe();
        }
        ExactProbe probe = exact;
        Thread t = new Thread(() -> {
            long start = System.nanoTime();
            try {
                while (System.nanoTime() - start < BACKGROUND_NANOS) {
                    synchronized (probe) {
                        if (probe.compiled) {
                            return;
                        }
                        probe.step();
                    }
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                // a failed warm-up changes nothing but speed
            }
        }, "mfrecs-exact-solve-warmup");
        t.setDaemon(true);
        t.start();
    }

    /** A small exact row solve, repeated: several vectors per row and two four-entry blocks, so the kernels' loops repeat. */
    private static final class ExactProbe {

        private final int d = 24;
        private final int m = 8;
        private final float[] y = new float[m * d];
        private final float[] gram;
        private final float[] values = new float[m];
        private final float[] out = new float[d];
        private final ImplicitRowSolver solver = new ImplicitRowSolver(d);
        private final Confidence confidence = Confidence.linear(10f);
        /**
         * Compiled, a solve takes its vector operations (assembly m d^2 / 2, factorization d^3 / 6, in double lanes) plus 2 d^2
         * scalar ones: at most 4 ns each, plus a microsecond; cold, ten times that.
         */
        private final long bound;
        private int solves;
        private long last;
        private boolean compiled;

        ExactProbe() {
            SplittableRandom random = new SplittableRandom(7);
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) (random.nextGaussian() * 0.3);
            }
            gram = Gram.compute(y, m, d);
            for (int q = 0; q < m; q++) {
                values[q] = 1 + q % 5;
            }
            int lanes = Math.max(1, DenseKernels.get().lanes() / 2);
            bound = 4L * (m * d * d / 2 / lanes + d * d * d / 6 / lanes + 2 * d * d) + 1000;
        }

        /** One solve (the caller holds the probe's lock); marks the probe compiled when it ran at compiled speed. */
        void step() {
            long t0 = System.nanoTime();
            solver.solveCholesky(gram, 0.1f, ImplicitAlsParams.Rendle.NONE, m, confidence, y, null, values, 0, m - solves % 2, out, 0,
                -1);
            last = System.nanoTime() - t0;
            solves++;
            if (solves > MIN_CALLS && last < bound) {
                compiled = true;
            }
        }
    }

    /** Small synthetic inputs of one padded length for every conjugate-gradient kernel, and their timing. */
    private static final class Probe {

        private static final int GROUPS = 5;

        private final int d;
        private final int dp;
        private final int m = 8;
        private final int smallDp;
        private final float[] g4;
        private final float[] small;
        private final float[] smallOut;
        private final float[] x;
        private final float[] r;
        private final float[] p;
        private final float[] ap;
        private final float[] y;
        private final float[] src;
        private final int[] offsets;
        private final float[] add;
        private final float[] mul;
        private final float[] diag = {0.5f, 0.5f, 0.5f};
        private final int[] rows = {0, 1, 2};
        private final float[] x0;
        private final float[] r0;
        private final float[] p0;
        /** The Gram kernel at two vectors per row (its calls at the real length would cost more cold than they save). */
        private final float[] gramFactors;
        private final float[] gramAcc;
        private final int gramD;
        /** Per kernel group: vector operations per call (for the compiled-speed test), calls so far, last duration, compiled yet. */
        private final long[] ops;
        private final int[] calls = new int[GROUPS];
        private final long[] last = new long[GROUPS];
        private final boolean[] done = new boolean[GROUPS];

        Probe(int d, int dp) {
            this.d = d;
            this.dp = dp;
            SplittableRandom random = new SplittableRandom(11);
            // the kernels whose loops do not depend on the padded length run on short rows (cold, every vector operation allocates):
            // four vectors, so their loops over vectors repeat
            int lanes = DenseKernels.get().lanes();
            smallDp = Math.min(dp, 4 * lanes);
            g4 = random(random, 4 * smallDp);
            small = random(random, 4 * smallDp);
            smallOut = new float[4 * smallDp];
            x = random(random, 3 * dp);
            r = random(random, 3 * dp);
            p = random(random, 3 * dp);
            ap = new float[3 * dp];
            y = random(random, m * dp);
            src = random(random, 3 * m * smallDp);
            offsets = new int[m];
            for (int q = 0; q < m; q++) {
                offsets[q] = (3 * q + 1) * smallDp;
            }
            add = random(random, m);
            mul = random(random, m);
            for (float[] a : new float[][] {x, r, p}) {
                for (int j = 0; j < 3; j++) {
                    Arrays.fill(a, j * dp + d, j * dp + dp, 0f);
                }
            }
            long c = dp / lanes;
            long sc = smallDp / lanes;
            gramD = 2 * lanes;
            gramFactors = random(random, 5 * gramD);
            gramAcc = new float[gramD * gramD];
            ops = new long[] {4 * 4 * 4 * sc, 5 * 3 * c, 20 * c, m / 2 * sc, 12L * gramD};
            x0 = x.clone();
            r0 = r.clone();
            p0 = p.clone();
        }

        private static float[] random(SplittableRandom random, int n) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) (random.nextGaussian() * 0.1);
            }
            return a;
        }

        /**
         * Calls each group of kernels until it runs at compiled speed (or the time is up). The kernels are called from this one
         * interpreted loop (without an inner loop, a few thousand iterations stay below the interpreter's threshold for compiling
         * the loop), so C2 compiles each kernel on its own instead of inlined into a caller. A group keeps being called at full
         * rate until compiled: calling less often once C2 ought to have queued it left kernels that the JIT had parked at tier 2
         * (C1 without profiling, when its C2 queue is long) cold for seconds. Returns the number of rounds, -1 if it gave up.
         */
        int warm(DenseKernels k) {
            long start = System.nanoTime();
            for (int rep = 0; System.nanoTime() - start < GIVE_UP_NANOS; rep++) {
                if (done[0] == false) {
                    restore();
                    long t0 = System.nanoTime();
                    // three rows (a group of four repeats one), four rows of G
                    k.symmetricMultiply(g4, smallDp, 4, 1f, diag, small, smallOut, rows, 3);
                    record(0, System.nanoTime() - t0);
                }
                if (done[1] == false) {
                    restore();
                    long t0 = System.nanoTime();
                    // few entries (each cold one allocates a few dozen vectors), yet more than one, so the loop repeats
                    k.sparsePass(y, 0, 3, add, mul, 0, p, 0, ap, 0, dp);
                    k.sparsePass(y, dp, 2, add, mul, 1, p, dp, ap, dp, dp);
                    record(1, System.nanoTime() - t0);
                }
                if (done[2] == false) {
                    restore();
                    long t0 = System.nanoTime();
                    float rs = k.cgStart(r, p, 2 * dp, dp);
                    k.cgStep(x, r, p, ap, 0, dp, 1f);
                    k.cgStep(x, r, p, ap, dp, dp, rs);
                    record(2, System.nanoTime() - t0);
                }
                if (done[3] == false) {
                    long t0 = System.nanoTime();
                    k.gather(src, offsets, 0, m / 2, smallDp, smallOut, 0, smallDp);
                    record(3, System.nanoTime() - t0);
                }
                if (done[4] == false) {
                    Arrays.fill(gramAcc, 0f);
                    long t0 = System.nanoTime();
                    // four rows and one, so both of its loops run
                    k.gramUpdate(gramFactors, 0, 5, gramD, gramAcc);
                    record(4, System.nanoTime() - t0);
                }
                if (done[0] && done[1] && done[2] && done[3] && done[4]) {
                    return rep + 1;
                }
            }
            return -1;
        }

        /**
         * Counts a call of group {@code g} and marks the group compiled when it ran in at most 2.5 ns per vector operation plus
         * 300 ns (before C2, Vector API calls take tens of nanoseconds per operation).
         */
        private void record(int g, long nanos) {
            calls[g]++;
            last[g] = nanos;
            if (calls[g] > MIN_CALLS && nanos < 5 * ops[g] / 2 + 300) {
                done[g] = true;
            }
        }

        /** Per kernel group: calls, last duration and the compiled-speed bound in ns, for the log. */
        String report() {
            StringBuilder b = new StringBuilder();
            String[] names = {"YtY v", "sparse", "cg step", "gather", "gram"};
            for (int g = 0; g < GROUPS; g++) {
                b.append(String.format(Locale.ROOT, "; %s: %d calls, last %d ns (bound %d)", names[g], calls[g], last[g],
                    5 * ops[g] / 2 + 300));
            }
            return b.toString();
        }

        /** The same inputs for every call (arraycopy: no loop in the warm-up loop). */
        private void restore() {
            System.arraycopy(x0, 0, x, 0, x.length);
            System.arraycopy(r0, 0, r, 0, r.length);
            System.arraycopy(p0, 0, p, 0, p.length);
        }
    }
}
