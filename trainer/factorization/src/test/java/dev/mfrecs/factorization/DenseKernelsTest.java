package dev.mfrecs.factorization;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both kernel implementations against plain double-precision reference loops, for lengths around the vector widths (tails, a
 * single lane, several vectors) and offsets into larger arrays, so the SIMD path and the fallback compute the same thing.
 * {@link SimdKernelsExactTest} holds the SIMD kernels to their exact arithmetic.
 */
class DenseKernelsTest {

    private static final int[] LENGTHS = {1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 128};

    private static DenseKernels[] kernels() {
        return new DenseKernels[] {new ScalarKernels(), new SimdKernels()};
    }

    @Test
    void theTestJvmUsesTheSimdKernels() {
        // surefire starts the JVM with --add-modules=jdk.incubator.vector like the launcher; if that stops working, the
        // trainer silently loses its SIMD path
        assertTrue(DenseKernels.describe().startsWith("simd"), DenseKernels.describe());
    }

    /** Padded lengths of the conjugate-gradient kernels: {@code d} rounded up like {@link DenseKernels#paddedDimension}. */
    private static int padded(DenseKernels k, int d) {
        int unit = Math.max(4, k.lanes());
        return (d + unit - 1) / unit * unit;
    }

    /** A random vector of {@code d} values padded with zeros to {@code dp}, at {@code off} in an array of {@code size}. */
    private static float[] paddedRandom(SplittableRandom random, int size, int off, int d, int dp) {
        float[] a = random(random, size);
        Arrays.fill(a, off + d, off + dp, 0f);
        return a;
    }

    @Test
    void conjugateGradientInnerProductMatchesTheReference() {
        SplittableRandom random = new SplittableRandom(1);
        for (int n : LENGTHS) {
            float[] a = random(random, n + 5);
            float[] b = random(random, n + 5);
            double expected = 0;
            for (int j = 0; j < n; j++) {
                expected += (double) a[3 + j] * b[3 + j];
            }
            assertEquals(expected, DenseKernels.dot(a, b, 3, n), 1e-5 * (1 + n), "n=" + n);
        }
    }

    @Test
    void symmetricMultiplyMatchesTheReferenceForEveryRowOfTheGroup() {
        SplittableRandom random = new SplittableRandom(2);
        for (DenseKernels k : kernels()) {
            for (int d : LENGTHS) {
                int dp = padded(k, d);
                int kEnd = ImplicitRowSolver.gramRows(d);
                float[] g = new float[kEnd * dp];
                float[] sym = symmetric(random, d);
                for (int i = 0; i < d; i++) {
                    System.arraycopy(sym, i * d, g, i * dp, d);
                }
                float[] v = new float[4 * dp];
                for (int r = 0; r < 4; r++) {
                    for (int i = 0; i < d; i++) {
                        v[r * dp + i] = (float) (random.nextDouble() * 2 - 1);
                    }
                }
                float[] diag = {0.25f, -0.5f, 1.5f, 2f};
                for (int[] rows : new int[][] {{0}, {2}, {1, 3}, {3, 0, 2}, {0, 1, 2, 3}}) {
                    float[] out = random(random, 4 * dp);
                    float[] before = out.clone();
                    k.symmetricMultiply(g, dp, kEnd, 1.5f, diag, v, out, rows, rows.length);
                    for (int r = 0; r < 4; r++) {
                        int row = r;
                        boolean listed = Arrays.stream(rows).anyMatch(x -> x == row);
                        for (int i = 0; i < dp; i++) {
                            double want;
                            if (listed == false) {
                                want = before[r * dp + i];
                            } else if (i >= d) {
                                want = 0;
                            } else {
                                want = diag[r] * v[r * dp + i];
                                for (int j = 0; j < d; j++) {
                                    want += 1.5 * g[i * dp + j] * v[r * dp + j];
                                }
                            }
                            assertEquals(want, out[r * dp + i], 1e-5 * (1 + d), k.name() + " d=" + d + " row " + r + " i=" + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void sparsePassMatchesTheReference() {
        SplittableRandom random = new SplittableRandom(3);
        for (DenseKernels k : kernels()) {
            // every chunk count from 1 to 10 (the register-resident variants and the general loop) and odd lengths
            int[] ds = {1, 7, 16, 17, 32, 40, 48, 64, 80, 96, 100, 112, 128, 144, 160};
            for (int d : ds) {
                int dp = padded(k, d);
                for (int m = 0; m <= 9; m++) {
                    float[] y = new float[(m + 2) * dp];
                    for (int q = 0; q < m; q++) {
                        for (int i = 0; i < d; i++) {
                            y[(q + 1) * dp + i] = (float) (random.nextDouble() * 2 - 1);
                        }
                    }
                    float[] add = random(random, m + 3);
                    float[] mul = random(random, m + 3);
                    float[] v = paddedRandom(random, 2 * dp, dp, d, dp);
                    float[] out = paddedRandom(random, 3 * dp, 2 * dp, d, dp);
                    double[] want = new double[dp];
                    for (int i = 0; i < dp; i++) {
                        want[i] = out[2 * dp + i];
                    }
                    for (int q = 0; q < m; q++) {
                        double dot = 0;
                        for (int j = 0; j < dp; j++) {
                            dot += (double) y[(q + 1) * dp + j] * v[dp + j];
                        }
                        double t = add[3 + q] + mul[3 + q] * dot;
                        for (int i = 0; i < dp; i++) {
                            want[i] += t * y[(q + 1) * dp + i];
                        }
                    }
                    k.sparsePass(y, dp, m, add, mul, 3, v, dp, out, 2 * dp, dp);
                    for (int i = 0; i < dp; i++) {
                        assertEquals(want[i], out[2 * dp + i], 1e-4 * (1 + d), k.name() + " d=" + d + " m=" + m + " i=" + i);
                    }
                }
            }
        }
    }

    @Test
    void conjugateGradientStepsMatchTheReference() {
        SplittableRandom random = new SplittableRandom(6);
        for (DenseKernels k : kernels()) {
            for (int d : LENGTHS) {
                int dp = padded(k, d);
                float[] x = paddedRandom(random, 2 * dp, dp, d, dp);
                float[] r = paddedRandom(random, 2 * dp, dp, d, dp);
                float[] p = random(random, 2 * dp);
                float[] ap = paddedRandom(random, 2 * dp, dp, d, dp);
                float[] x0 = x.clone();
                float[] r0 = r.clone();
                double rr = 0;
                for (int i = 0; i < d; i++) {
                    rr += (double) r[dp + i] * r[dp + i];
                }
                float rsOld = k.cgStart(r, p, dp, dp);
                assertEquals(rr, rsOld, 1e-5 * (1 + d), k.name() + " d=" + d);
                for (int i = 0; i < dp; i++) {
                    assertEquals(r[dp + i], p[dp + i], k.name() + " p = r, d=" + d);
                }
                // make p . ap positive
                for (int i = 0; i < d; i++) {
                    ap[dp + i] = 2 * p[dp + i] + 0.1f * ap[dp + i];
                }
                double pAp = 0;
                for (int i = 0; i < d; i++) {
                    pAp += (double) p[dp + i] * ap[dp + i];
                }
                double alpha = rsOld / pAp;
                double[] rNew = new double[dp];
                double rsNew = 0;
                for (int i = 0; i < d; i++) {
                    rNew[i] = r0[dp + i] - alpha * ap[dp + i];
                    rsNew += rNew[i] * rNew[i];
                }
                float[] pBefore = p.clone();
                float got = k.cgStep(x, r, p, ap, dp, dp, rsOld);
                assertEquals(rsNew, got, 1e-4 * (1 + rsNew), k.name() + " d=" + d);
                for (int i = 0; i < d; i++) {
                    assertEquals(x0[dp + i] + alpha * pBefore[dp + i], x[dp + i], 1e-4, k.name() + " x d=" + d);
                    assertEquals(rNew[i], r[dp + i], 1e-4, k.name() + " r d=" + d);
                    assertEquals(rNew[i] + rsNew / rsOld * pBefore[dp + i], p[dp + i], 1e-3 * (1 + Math.abs(p[dp + i])),
                        k.name() + " p d=" + d);
                }
                // p . Ap <= 0: NaN and nothing changes
                float[] xs = x.clone();
                float[] neg = ap.clone();
                for (int i = 0; i < dp; i++) {
                    neg[dp + i] = -p[dp + i];
                }
                assertTrue(Float.isNaN(k.cgStep(x, r, p, neg, dp, dp, 1f)), k.name());
                assertTrue(Arrays.equals(xs, x), k.name());
            }
        }
    }

    @Test
    void gatherCopiesAndPads() {
        SplittableRandom random = new SplittableRandom(7);
        for (DenseKernels k : kernels()) {
            for (int d : LENGTHS) {
                int dp = padded(k, d);
                float[] src = random(random, 10 * d);
                int[] offsets = {9 * d, 0, 4 * d, 7 * d, 2 * d};
                float[] dst = random(random, 6 * dp);
                k.gather(src, offsets, 1, 4, d, dst, dp, dp);
                for (int q = 0; q < 4; q++) {
                    for (int i = 0; i < dp; i++) {
                        float want = i < d ? src[offsets[1 + q] + i] : 0f;
                        assertEquals(want, dst[dp + q * dp + i], k.name() + " d=" + d + " q=" + q + " i=" + i);
                    }
                }
            }
        }
    }

    @Test
    void gramUpdateMatchesTheReferenceOnTheUpperTriangle() {
        SplittableRandom random = new SplittableRandom(4);
        for (DenseKernels k : kernels()) {
            for (int d : LENGTHS) {
                for (int rows : new int[] {0, 1, 3, 4, 5, 11}) {
                    float[] factors = random(random, (rows + 2) * d);
                    float[] acc = random(random, d * d);
                    float[] before = acc.clone();
                    k.gramUpdate(factors, 1, 1 + rows, d, acc);
                    for (int a = 0; a < d; a++) {
                        for (int b = a; b < d; b++) {
                            double want = before[a * d + b];
                            for (int r = 1; r < 1 + rows; r++) {
                                want += (double) factors[r * d + a] * factors[r * d + b];
                            }
                            assertEquals(want, acc[a * d + b], 1e-5 * (1 + rows), k.name() + " d=" + d + " rows=" + rows);
                        }
                    }
                }
            }
        }
    }

    @Test
    void doubleDotAndLowerRankUpdateMatchTheReference() {
        SplittableRandom random = new SplittableRandom(5);
        for (DenseKernels k : kernels()) {
            for (int d : LENGTHS) {
                double[] a = randomDouble(random, d + 4);
                double[] b = randomDouble(random, d + 2);
                double expected = 0;
                for (int j = 0; j < d; j++) {
                    expected += a[4 + j] * b[1 + j];
                }
                assertEquals(expected, k.dot(a, 4, b, 1, d), 1e-12 * (1 + d), k.name() + " d=" + d);
                for (int m : new int[] {0, 1, 3, 4, 5, 9}) {
                    double[] ys = randomDouble(random, m * d);
                    double[] w = randomDouble(random, m);
                    double[] c = randomDouble(random, m);
                    double[] acc = randomDouble(random, d * d);
                    double[] before = acc.clone();
                    double[] rhs = randomDouble(random, d);
                    double[] rhsBefore = rhs.clone();
                    k.lowerRankUpdate(acc, rhs, d, ys, w, c, m);
                    for (int i = 0; i < d; i++) {
                        double want = rhsBefore[i];
                        for (int q = 0; q < m; q++) {
                            want += c[q] * ys[q * d + i];
                        }
                        assertEquals(want, rhs[i], 1e-12 * (1 + m), k.name() + " rhs d=" + d + " m=" + m + " i=" + i);
                    }
                    for (int i = 0; i < d; i++) {
                        for (int col = 0; col <= i; col++) {
                            double want = before[i * d + col];
                            for (int q = 0; q < m; q++) {
                                want += w[q] * ys[q * d + i] * ys[q * d + col];
                            }
                            assertEquals(want, acc[i * d + col], 1e-12 * (1 + m),
                                k.name() + " d=" + d + " m=" + m + " at " + i + "," + col);
                        }
                    }
                }
            }
        }
    }

    private static double[] randomDouble(SplittableRandom random, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextDouble() * 2 - 1;
        }
        return out;
    }

    private static float[] random(SplittableRandom random, int n) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return out;
    }

    private static float[] symmetric(SplittableRandom random, int d) {
        float[] g = new float[d * d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                float v = (float) (random.nextDouble() * 2 - 1);
                g[i * d + j] = v;
                g[j * d + i] = v;
            }
        }
        return g;
    }
}
