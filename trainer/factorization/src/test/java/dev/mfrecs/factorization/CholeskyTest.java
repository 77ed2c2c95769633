package dev.mfrecs.factorization;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The blocked Cholesky factorization on both kernel implementations: {@code L L^T} reproduces {@code A} and the solve recovers a
 * known solution for sizes around the four-column blocks, and a matrix that is not positive definite is reported at the first
 * failing pivot whether it falls inside a block, on its border or in the tail columns.
 */
class CholeskyTest {

    private static final DenseKernels[] KERNELS = {new ScalarKernels(), new SimdKernels()};

    @Test
    void factorReproducesTheMatrixAndSolveRecoversTheSolution() {
        SplittableRandom random = new SplittableRandom(11);
        for (DenseKernels k : KERNELS) {
            for (int n : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 13, 16, 17, 33, 64, 100, 128}) {
                double[] a = spd(random, n);
                double[] l = a.clone();
                assertEquals(-1, Cholesky.factor(l, n, k), k.name() + " n=" + n);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j <= i; j++) {
                        double s = 0;
                        for (int c = 0; c <= j; c++) {
                            s += l[i * n + c] * l[j * n + c];
                        }
                        assertEquals(a[i * n + j], s, 1e-9 * n, k.name() + " n=" + n + " at " + i + "," + j);
                    }
                }
                double[] x = new double[n];
                for (int i = 0; i < n; i++) {
                    x[i] = random.nextDouble() * 2 - 1;
                }
                double[] b = new double[n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        b[i] += a[i * n + j] * x[j];
                    }
                }
                Cholesky.solve(l, n, b);
                for (int i = 0; i < n; i++) {
                    assertEquals(x[i], b[i], 1e-8, k.name() + " n=" + n + " x[" + i + "]");
                }
            }
        }
    }

    @Test
    void theFirstFailingPivotIsReported() {
        SplittableRandom random = new SplittableRandom(12);
        for (DenseKernels k : KERNELS) {
            for (int n : new int[] {6, 9, 11}) {
                for (int bad = 0; bad < n; bad++) {
                    // row and column "bad" a copy of row and column 0 (bad > 0) or a zero diagonal: singular exactly there
                    double[] a = spd(random, n);
                    if (bad == 0) {
                        a[0] = 0;
                    } else {
                        for (int c = 0; c < n; c++) {
                            a[bad * n + c] = a[c];
                            a[c * n + bad] = a[c * n];
                        }
                        a[bad * n + bad] = a[0];
                    }
                    assertEquals(bad, Cholesky.factor(a, n, k), k.name() + " n=" + n + " bad=" + bad);
                }
            }
        }
    }

    /** {@code B B^T + n I} for a random {@code B}: well conditioned, full (both triangles). */
    private static double[] spd(SplittableRandom random, int n) {
        double[] b = new double[n * n];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextDouble() * 2 - 1;
        }
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = i == j ? n : 0;
                for (int c = 0; c < n; c++) {
                    s += b[i * n + c] * b[j * n + c];
                }
                a[i * n + j] = s;
            }
        }
        return a;
    }
}
