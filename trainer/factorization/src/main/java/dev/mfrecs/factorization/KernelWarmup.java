package dev.mfrecs.factorization;

import java.util.SplittableRandom;

/**
 * Gets the SIMD kernels compiled before training leans on them. Vector API code is dozens of times slower than plain Java until
 * C2 has compiled it (before that every vector is an object), and C2 needs a few thousand calls to start and then tens of
 * milliseconds per kernel, so the first epoch of a run used to take ten times a warm one, and the exact half-sweep that ends a
 * training run as long again. Here, before the first conjugate-gradient half-sweep for a padded length, the calling thread calls
 * each conjugate-gradient kernel on small synthetic inputs of that length until all of them run at compiled speed (a few thousand
 * cheap calls, then waiting for the compiler thread); the kernels are called directly from this interpreted loop, so C2 compiles
 * each of them once, alone, instead of inlined into the solver loops. A daemon thread then does the same for the exact solve
 * (assembly, blocked Cholesky, substitution), which the last half-sweep of a training run and fold-ins use, while training runs.
 * <p>
 * Nothing here changes a result: the kernels compute the same bits whether compiled or not ({@link DenseKernels}).
 */
final class KernelWarmup {

    /** Bit {@code c}: the conjugate-gradient kernels were warmed for rows of {@code c} vectors ({@code c < 64}). */
    private static long warmed;
    private static boolean exactStarted;

    /** Rows of 64 vectors and more are not warmed up (their cold calls would cost more than the warm-up saves). */
    private static final int MAX_CHUNKS = 64;

    /** Stop waiting for the compiler after this long (e.g. on a JVM without C2, the kernels never get faster). */
    private static final long GIVE_UP_NANOS = 3_000_000_000L;

    /**
     * Calls of a kernel after which it is only polled: C2 queues a method after 5000 calls at most (600 to 1000 for these, whose
     * loops count too). Every cold call allocates its vectors (garbage the heap has to hold until collected), so not many more.
     */
    private static final int MAX_CALLS = 5500;

    /** Calls before a kernel's speed is trusted (the very first calls of a small kernel can be fast interpreted). */
    private static final int MIN_CALLS = 300;


    /** System property: when {@code true}, each warm-up reports its rounds and duration on stderr (for benchmarks). */
    static final String LOG_PROPERTY = "mfrecs.warmup.log";

    private KernelWarmup() {}

    /**
     * Before conjugate-gradient work on {@code d}-vectors: when the SIMD kernels run, makes sure they are compiled for that length
     * (once per JVM and length; concurrent callers wait for the first), then starts the exact solve's warm-up in the background.
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
            int rounds = 0;
            Probe probe = new Probe(d, dp);
            try {
                rounds = probe.warm(DenseKernels.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            warmed |= 1L << chunks;
            if (Boolean.getBoolean(LOG_PROPERTY)) {
                System.err.printf(java.util.Locale.ROOT, "mfrecs: conjugate-gradient kernels warmed for d=%d (padded %d): %d rounds, %.0f ms%s%n",
                    d, dp, rounds, (System.nanoTime() - start) / 1e6, probe.report());
            }
        }
        exactSolveInBackground();
    }

    /** Starts (once per JVM) a daemon thread that calls the exact solve on a small system until its kernels are compiled. */
    static void exactSolveInBackground() {
        if ((DenseKernels.get() instanceof SimdKernels) == false) {
            return;
        }
        synchronized (KernelWarmup.class) {
            if (exactStarted) {
                return;
            }
            exactStarted = true;
        }
        Thread t = new Thread(KernelWarmup::warmExactSolve, "mfrecs-kernel-warmup");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Exact row solves (assembly, blocked Cholesky, substitution) of a small system until one runs at compiled speed (bounded).
     */
    private static void warmExactSolve() {
        try {
            int d = 32;
            // 36 entries: one assembly block of 32 and a padded one of 4
            int m = 36;
            SplittableRandom random = new SplittableRandom(7);
            float[] y = new float[m * d];
            for (int i = 0; i < y.length; i++) {
                y[i] = (float) (random.nextGaussian() * 0.3);
            }
            float[] gram = Gram.compute(y, m, d);
            float[] values = new float[m];
            for (int q = 0; q < m; q++) {
                values[q] = 1 + q % 5;
            }
            float[] out = new float[d];
            ImplicitRowSolver solver = new ImplicitRowSolver(d);
            Confidence confidence = Confidence.linear(10f);
            long start = System.nanoTime();
            // compiled, a solve takes about 4k vector operations (assembly m d^2 / 2, factorization d^3 / 6, in double lanes) plus
            // 2 d^2 scalar ones: at most 4 ns each; cold, ten times that
            int lanes = Math.max(1, DenseKernels.get().lanes() / 2);
            long bound = 4L * (m * d * d / 2 / lanes + d * d * d / 6 / lanes + 2 * d * d);
            long best = Long.MAX_VALUE;
            int rep = 0;
            for (; System.nanoTime() - start < GIVE_UP_NANOS; rep++) {
                long t0 = System.nanoTime();
                solver.solveCholesky(gram, 0.1f, ImplicitAlsParams.Rendle.NONE, m, confidence, y, null, values, 0, m - rep % 5, out, 0,
                    -1);
                long t = System.nanoTime() - t0;
                best = Math.min(best, t);
                if (rep > MIN_CALLS && t < bound) {
                    break;
                }
                if (rep > MAX_CALLS) {
                    Thread.sleep(2);
                }
            }
            if (Boolean.getBoolean(LOG_PROPERTY)) {
                System.err.printf(java.util.Locale.ROOT, "mfrecs: exact-solve kernels warmed: %d solves, %.0f ms, last %.1f us%n", rep,
                    (System.nanoTime() - start) / 1e6, best / 1e3);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // a failed warm-up must not affect anything else: the kernels are just compiled later
        }
    }

    /** Small synthetic inputs of one padded length for every conjugate-gradient kernel. */
    private static final class Probe {

        private final int d;
        private final int dp;
        private final int m = 8;
        private final float[] g8;
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
        private final float[] gramFactors;
        private final float[] gramAcc;
        private final float[] x0;
        private final float[] r0;
        private final float[] p0;
        /** Per kernel group: vector operations per call (for the compiled-speed test), calls so far, compiled yet. */
        private final long[] ops;
        private final int[] calls = new int[5];
        private final long[] last = new long[5];
        private final boolean[] done = new boolean[5];

        Probe(int d, int dp) {
            this.d = d;
            this.dp = dp;
            SplittableRandom random = new SplittableRandom(11);
            g8 = random(random, 8 * dp);
            x = random(random, 3 * dp);
            r = random(random, 3 * dp);
            p = random(random, 3 * dp);
            ap = new float[3 * dp];
            y = random(random, m * dp);
            src = random(random, 3 * m * d);
            offsets = new int[m];
            for (int q = 0; q < m; q++) {
                offsets[q] = (3 * q + 1) * d;
            }
            add = random(random, m);
            mul = random(random, m);
            for (float[] a : new float[][] {x, r, p}) {
                for (int j = 0; j < 3; j++) {
                    java.util.Arrays.fill(a, j * dp + d, j * dp + dp, 0f);
                }
            }
            long c = dp / DenseKernels.get().lanes();
            ops = new long[] {48 * c, 6L * m * c, 20 * c, m / 2 * c, 30L * DenseKernels.get().lanes()};
            x0 = x.clone();
            r0 = r.clone();
            p0 = p.clone();
            // the Gram kernel at a small size (its calls at d = 128 would cost more cold than they save)
            gramFactors = random(random, 5 * 2 * DenseKernels.get().lanes());
            gramAcc = new float[4 * DenseKernels.get().lanes() * DenseKernels.get().lanes()];
        }

        private static float[] random(SplittableRandom random, int n) {
            float[] a = new float[n];
            for (int i = 0; i < n; i++) {
                a[i] = (float) (random.nextGaussian() * 0.1);
            }
            return a;
        }

        /**
         * Calls each group of kernels until it runs at compiled speed, and at most {@link #MAX_CALLS} times (by then C2 has queued
         * it), then only polls it, leaving the CPU to the compiler thread, until every group is compiled or the time is up. The
         * kernels are called from this one interpreted loop (without an inner loop, a few thousand iterations stay below the
         * interpreter's threshold for compiling the loop), so C2 compiles each kernel on its own instead of inlined into a caller.
         * Returns the number of rounds, -1 if it gave up.
         */
        int warm(DenseKernels k) throws InterruptedException {
            long start = System.nanoTime();
            int lanes = k.lanes();
            for (int rep = 0; System.nanoTime() - start < GIVE_UP_NANOS; rep++) {
                boolean poll = rep % 8 == 0;
                if (due(0, poll)) {
                    restore();
                    long t0 = System.nanoTime();
                    // a pair of rows and a single row, two blocks of four rows of G
                    k.symmetricMultiply(g8, dp, Math.min(8, dp), 1f, diag, p, ap, rows, 3);
                    record(0, System.nanoTime() - t0);
                }
                if (due(1, poll)) {
                    restore();
                    long t0 = System.nanoTime();
                    k.sparsePass(y, 0, m, add, mul, 0, p, 0, ap, 0, dp);
                    k.sparsePass(y, dp, m - 1, add, mul, 1, p, dp, ap, dp, dp);
                    record(1, System.nanoTime() - t0);
                }
                if (due(2, poll)) {
                    restore();
                    long t0 = System.nanoTime();
                    float rs = k.cgStart(r, p, 2 * dp, dp);
                    k.cgStep(x, r, p, ap, 0, dp, 1f);
                    k.cgStep(x, r, p, ap, dp, dp, rs);
                    record(2, System.nanoTime() - t0);
                }
                if (due(3, poll)) {
                    long t0 = System.nanoTime();
                    k.gather(src, offsets, 0, m / 2, d, y, 0, dp);
                    record(3, System.nanoTime() - t0);
                }
                if (due(4, poll)) {
                    java.util.Arrays.fill(gramAcc, 0f);
                    long t0 = System.nanoTime();
                    k.gramUpdate(gramFactors, 0, 5, 2 * lanes, gramAcc);
                    record(4, System.nanoTime() - t0);
                }
                if (allDone()) {
                    return rep + 1;
                }
                if (waiting()) {
                    // every kernel not yet compiled has been called past C2's thresholds: wait for the compiler
                    Thread.sleep(1);
                }
            }
            return -1;
        }

        /** Whether group {@code g} is to be called this round: not yet compiled, and below the call cap or polled. */
        private boolean due(int g, boolean poll) {
            return done[g] == false && (calls[g] < MAX_CALLS || poll);
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

        private boolean allDone() {
            for (boolean b : done) {
                if (b == false) {
                    return false;
                }
            }
            return true;
        }

        private boolean waiting() {
            for (int g = 0; g < done.length; g++) {
                if (done[g] == false && calls[g] < MAX_CALLS) {
                    return false;
                }
            }
            return true;
        }

        /** Per kernel group: calls, last duration and the compiled-speed bound in ns, for the log. */
        String report() {
            StringBuilder b = new StringBuilder();
            for (int g = 0; g < calls.length; g++) {
                b.append(String.format(java.util.Locale.ROOT, "; group %d: %d calls, last %d ns (bound %d)", g, calls[g], last[g],
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
