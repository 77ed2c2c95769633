package dev.mfrecs.factorization;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The SIMD kernels compute exactly the arithmetic {@link DenseKernels} specifies: bit for bit what {@link LaneKernels} (the same
 * operations written out lane by lane in plain Java) computes, and the same bits before and after the JIT has compiled them. The
 * second property is what makes training results independent of when compilation happened and so of the thread count; it did not
 * hold while the inner products ended in {@code reduceLanes}, which the interpreter adds up in lane order and C2 as a tree.
 */
class SimdKernelsExactTest {

    private static final SimdKernels SIMD = new SimdKernels();
    private static final LaneKernels LANES = new LaneKernels(SIMD.lanes());

    private static int padded(int d) {
        int unit = Math.max(4, SIMD.lanes());
        return (d + unit - 1) / unit * unit;
    }

    /** Chunk counts 1 to 10 and 16: the register-resident sparse passes and the general loop, even and odd. */
    private static int[] dims() {
        int l = SIMD.lanes();
        return new int[] {1, l - 1, l, 2 * l, 3 * l - 2, 4 * l, 5 * l, 6 * l, 7 * l, 8 * l, 9 * l, 10 * l, 16 * l};
    }

    private static float[] random(SplittableRandom random, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (random.nextGaussian() * scale);
        }
        return a;
    }

    /** Runs every float kernel on one fixed input per dimension and returns all outputs, concatenated. */
    private static float[] runAll(DenseKernels k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] results = new float[0];
        for (int d : dims()) {
            int dp = padded(d);
            int kEnd = ImplicitRowSolver.gramRows(d);
            int m = 11;
            float[] y = random(random, (m + 1) * dp, 0.3f);
            float[] add = random(random, m + 2, 1f);
            float[] mul = random(random, m + 2, 1f);
            float[] v = random(random, 4 * dp, 0.5f);
            float[] g = random(random, kEnd * dp, 0.2f);
            for (int r = 0; r < 4; r++) {
                Arrays.fill(v, r * dp + d, r * dp + dp, 0f);
            }
            float[] out = random(random, 4 * dp, 0.5f);
            float[] diag = {0.1f, 0.2f, 0.3f, 0.4f};
            k.symmetricMultiply(g, dp, kEnd, -1.25f, diag, v, out, new int[] {3, 1, 0}, 3);
            k.sparsePass(y, dp, m, add, mul, 2, v, dp, out, 0, dp);
            k.sparsePass(y, 0, m - 5, add, mul, 1, v, 2 * dp, out, 3 * dp, dp);
            float[] x = random(random, 4 * dp, 0.5f);
            float[] r = out.clone();
            float[] p = new float[4 * dp];
            float rs = k.cgStart(r, p, dp, dp);
            float[] ap = p.clone();
            for (int i = 0; i < dp; i++) {
                ap[dp + i] = 3 * p[dp + i] + 0.5f * v[dp + i];
            }
            float rsNew = k.cgStep(x, r, p, ap, dp, dp, rs);
            float[] gram = new float[d * d];
            k.gramUpdate(y, 0, 7, d, gram);
            for (int a = 0; a < d; a++) {
                Arrays.fill(gram, a * d, a * d + a, 0f);
            }
            float[] gathered = new float[3 * dp];
            k.gather(y, new int[] {5 * d, 0, 2 * d}, 0, 3, d, gathered, 0, dp);
            results = concat(results, out, x, r, p, new float[] {rs, rsNew}, gram, gathered);
        }
        return results;
    }

    private static float[] concat(float[]... parts) {
        float[] out = new float[Arrays.stream(parts).mapToInt(a -> a.length).sum()];
        int at = 0;
        for (float[] a : parts) {
            System.arraycopy(a, 0, out, at, a.length);
            at += a.length;
        }
        return out;
    }

    @Test
    void floatKernelsEqualTheLaneByLaneTranscriptionBitForBit() {
        for (long seed = 1; seed <= 5; seed++) {
            assertArrayEquals(runAll(LANES, seed), runAll(SIMD, seed), "seed " + seed);
        }
    }

    @Test
    void resultsAreTheSameBeforeAndAfterTheJitCompiledTheKernels() {
        // the first calls run interpreted (or in C1); thousands later the kernels are C2-compiled
        float[] cold = runAll(SIMD, 42);
        double[] coldDouble = doubleKernels();
        for (int rep = 0; rep < 3000; rep++) {
            runAll(SIMD, 42 + rep % 3);
            doubleKernels();
        }
        assertArrayEquals(cold, runAll(SIMD, 42));
        assertArrayEquals(coldDouble, doubleKernels());
        assertArrayEquals(runAll(LANES, 42), cold);
    }

    /** The double-precision reductions (inner products of the Cholesky factorization), on fixed inputs. */
    private static double[] doubleKernels() {
        SplittableRandom random = new SplittableRandom(9);
        int n = 77;
        double[] a = new double[6 * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian();
        }
        double[] out = new double[4];
        SIMD.dot4(a, 0, n, 2 * n, 3 * n, 4 * n, n, out);
        return new double[] {out[0], out[1], out[2], out[3], SIMD.dot(a, 5, a, 3 * n + 1, n - 3), SIMD.dot(a, 0, a, n, 64)};
    }

    @Test
    void theWarmUpLeavesResultsAlone() {
        float[] before = runAll(SIMD, 7);
        KernelWarmup.conjugateGradient(3 * SIMD.lanes());
        assertArrayEquals(before, runAll(SIMD, 7));
        assertEquals(SIMD.lanes(), LANES.lanes());
    }
}
