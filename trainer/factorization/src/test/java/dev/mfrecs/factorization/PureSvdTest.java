package dev.mfrecs.factorization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Checks the randomized truncated SVD against matrices with known singular values, and its output conventions. */
class PureSvdTest {

    /** A dense m x n matrix U diag(s) V^T with random orthonormal U, V (built here, independently of the library), as CSR. */
    private record LowRank(CsrMatrix matrix, double[] u, double[] v) {}

    private static LowRank lowRank(int m, int n, double[] s, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int r = s.length;
        double[] u = orthonormalColumns(random, m, r);
        double[] v = orthonormalColumns(random, n, r);
        int[] rows = new int[m * n];
        int[] cols = new int[m * n];
        float[] vals = new float[m * n];
        for (int i = 0, p = 0; i < m; i++) {
            for (int j = 0; j < n; j++, p++) {
                double a = 0;
                for (int c = 0; c < r; c++) {
                    a += u[i * r + c] * s[c] * v[j * r + c];
                }
                rows[p] = i;
                cols[p] = j;
                vals[p] = (float) a;
            }
        }
        return new LowRank(CsrMatrix.fromTriplets(m, n, rows, cols, vals, m * n), u, v);
    }

    /** Row-major rows x r matrix with orthonormal columns: modified Gram-Schmidt in double on Gaussian columns. */
    private static double[] orthonormalColumns(SplittableRandom random, int rows, int r) {
        double[] a = new double[rows * r];
        for (int j = 0; j < a.length; j++) {
            a[j] = random.nextGaussian();
        }
        for (int c = 0; c < r; c++) {
            for (int prev = 0; prev < c; prev++) {
                double dot = 0;
                for (int i = 0; i < rows; i++) {
                    dot += a[i * r + prev] * a[i * r + c];
                }
                for (int i = 0; i < rows; i++) {
                    a[i * r + c] -= dot * a[i * r + prev];
                }
            }
            double norm = 0;
            for (int i = 0; i < rows; i++) {
                norm += a[i * r + c] * a[i * r + c];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < rows; i++) {
                a[i * r + c] /= norm;
            }
        }
        return a;
    }

    @Test
    void recoversSingularValuesAndVectorsOfExactLowRankMatrix() {
        double[] s = { 20, 11, 6, 3, 1.5 };
        LowRank data = lowRank(120, 90, s, 5);
        SvdModel model = PureSvd.train(data.matrix(), new PureSvdParams(5, 10, 2, 1L, 2));
        for (int c = 0; c < s.length; c++) {
            assertEquals(s[c], model.singularValues()[c], 1e-3 * s[c], "singular value " + c);
        }
        int n = model.items();
        int k = model.factors();
        for (int c = 0; c < k; c++) {
            // item factor c matches the true right singular vector up to sign; user factor c has norm sigma_c
            double dot = 0;
            double userNorm = 0;
            for (int i = 0; i < n; i++) {
                dot += model.itemFactors()[i * k + c] * data.v()[i * s.length + c];
            }
            for (int u = 0; u < model.users(); u++) {
                userNorm += (double) model.userFactors()[u * k + c] * model.userFactors()[u * k + c];
            }
            assertEquals(1.0, Math.abs(dot), 1e-4, "alignment of right singular vector " + c);
            assertEquals(s[c], Math.sqrt(userNorm), 1e-3 * s[c], "norm of user factor column " + c);
        }
    }

    @Test
    void powerIterationsRecoverTopOfSlowlyDecayingSpectrum() {
        // rank 12 with sigma_c = 10 * 0.7^c; the sketch (k + oversampling = 8) is narrower than the rank
        double[] s = new double[12];
        for (int c = 0; c < s.length; c++) {
            s[c] = 10 * Math.pow(0.7, c);
        }
        LowRank data = lowRank(150, 110, s, 9);
        SvdModel model = PureSvd.train(data.matrix(), new PureSvdParams(4, 4, 4, 3L, 1));
        for (int c = 0; c < 4; c++) {
            assertEquals(s[c], model.singularValues()[c], 1e-3 * s[c], "singular value " + c);
        }
    }

    @Test
    void rankDeficiencyGivesZeroSingularValues() {
        double[] s = { 4, 2 };
        LowRank data = lowRank(30, 20, s, 13);
        SvdModel model = PureSvd.train(data.matrix(), new PureSvdParams(4, 3, 1, 3L, 1));
        assertEquals(4, model.singularValues()[0], 4e-3);
        assertEquals(2, model.singularValues()[1], 2e-3);
        assertEquals(0, model.singularValues()[2], 1e-4);
        assertEquals(0, model.singularValues()[3], 1e-4);
    }

    @Test
    void itemFactorsOrthonormalFoldInMatchesAndSignsAreCanonical() {
        SyntheticData.ImplicitSplit data = SyntheticData.implicitLowRank(200, 120, 4, 0.1, 0.0, 3);
        CsrMatrix a = data.train();
        SvdModel one = PureSvd.train(a, new PureSvdParams(6, 8, 2, 17L, 1));
        SvdModel three = PureSvd.train(a, new PureSvdParams(6, 8, 2, 17L, 3));
        assertArrayEquals(one.itemFactors(), three.itemFactors(), "thread count must not matter");
        int k = one.factors();
        int n = one.items();
        for (int c = 0; c < k; c++) {
            for (int e = 0; e <= c; e++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += (double) one.itemFactors()[i * k + c] * one.itemFactors()[i * k + e];
                }
                assertEquals(c == e ? 1.0 : 0.0, dot, 1e-4, "V^T V at (" + c + ", " + e + ")");
            }
            int argmax = 0;
            for (int i = 1; i < n; i++) {
                if (Math.abs(one.itemFactors()[i * k + c]) > Math.abs(one.itemFactors()[argmax * k + c])) {
                    argmax = i;
                }
            }
            assertTrue(one.itemFactors()[argmax * k + c] > 0, "largest entry of column " + c + " must be positive");
            if (c > 0) {
                assertTrue(one.singularValues()[c] <= one.singularValues()[c - 1], "singular values must be sorted");
            }
        }
        float[] out = new float[k];
        for (int u = 0; u < one.users(); u += 17) {
            int from = a.indptr()[u];
            int len = a.indptr()[u + 1] - from;
            float[] history = new float[len * k];
            for (int j = 0; j < len; j++) {
                System.arraycopy(one.itemFactors(), a.indices()[from + j] * k, history, j * k, k);
            }
            PureSvd.foldIn(history, Arrays.copyOfRange(a.values(), from, from + len), len, k, out);
            for (int c = 0; c < k; c++) {
                assertEquals(one.userFactors()[u * k + c], out[c], 1e-5, "user " + u);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> PureSvd.train(a, new PureSvdParams(121, 0, 0, 1L, 1)));
    }
}
