package dev.mfrecs.factorization;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Both kernel implementations against plain double-precision reference loops, for lengths around the vector widths (tails, a
 * single lane, several vectors) and offsets into larger arrays, so the SIMD path and the fallback compute the same thing.
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

    @Test
    void dotAndAxpyMatchTheReference() {
        SplittableRandom random = new SplittableRandom(1);
        for (DenseKernels k : kernels()) {
            for (int n : LENGTHS) {
                float[] a = random(random, n + 5);
                float[] b = random(random, n + 9);
                double expected = 0;
                for (int j = 0; j < n; j++) {
                    expected += (double) a[3 + j] * b[7 + j];
                }
                assertEquals(expected, k.dot(a, 3, b, 7, n), 1e-5 * (1 + n), k.name() + " n=" + n);
                float[] y = b.clone();
                k.axpy(0.75f, a, 3, y, 7, n);
                for (int j = 0; j < b.length; j++) {
                    double want = j >= 7 && j < 7 + n ? b[j] + 0.75 * a[3 + j - 7] : b[j];
                    assertEquals(want, y[j], 1e-6, k.name() + " n=" + n + " j=" + j);
                }
            }
        }
    }

    @Test
    void symmetricMultiplyMatchesTheReference() {
        SplittableRandom random = new SplittableRandom(2);
        for (DenseKernels k : kernels()) {
            for (int d : LENGTHS) {
                float[] g = symmetric(random, d);
                float[] v = random(random, d);
                float[] out = random(random, d);
                k.symmetricMultiply(g, d, 1.5f, 0.25f, v, out);
                for (int i = 0; i < d; i++) {
                    double want = 0.25 * v[i];
                    for (int j = 0; j < d; j++) {
                        want += 1.5 * g[i * d + j] * v[j];
                    }
                    assertEquals(want, out[i], 1e-5 * (1 + d), k.name() + " d=" + d + " i=" + i);
                }
            }
        }
    }

    @Test
    void sparseUpdateMatchesTheReference() {
        SplittableRandom random = new SplittableRandom(3);
        for (DenseKernels k : kernels()) {
            for (int d : LENGTHS) {
                for (int m = 0; m <= 9; m++) {
                    int rows = 12;
                    float[] y = random(random, rows * d);
                    int[] offsets = new int[m];
                    float[] add = random(random, m);
                    float[] mul = random(random, m);
                    for (int q = 0; q < m; q++) {
                        offsets[q] = random.nextInt(rows) * d;
                    }
                    float[] v = random(random, d);
                    float[] out = random(random, d);
                    double[] want = new double[d];
                    for (int i = 0; i < d; i++) {
                        want[i] = out[i];
                    }
                    for (int q = 0; q < m; q++) {
                        double dot = 0;
                        for (int j = 0; j < d; j++) {
                            dot += (double) y[offsets[q] + j] * v[j];
                        }
                        double t = add[q] + mul[q] * dot;
                        for (int i = 0; i < d; i++) {
                            want[i] += t * y[offsets[q] + i];
                        }
                    }
                    k.sparseUpdate(y, offsets, add, mul, m, v, out, d);
                    for (int i = 0; i < d; i++) {
                        assertEquals(want[i], out[i], 1e-4 * (1 + d), k.name() + " d=" + d + " m=" + m + " i=" + i);
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
                            assertEquals(want, acc[i * d + col], 1e-12 * (1 + m), k.name() + " d=" + d + " m=" + m + " at " + i + "," + col);
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
