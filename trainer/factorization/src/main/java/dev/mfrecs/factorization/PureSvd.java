package dev.mfrecs.factorization;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * PureSVD (Cremonesi, Koren, Turrin 2010): a truncated SVD {@code A ~ U Sigma V^T} of the users x items matrix, computed with the
 * randomized range finder of Halko, Martinsson and Tropp (2011, algorithms 4.4 and 5.1):
 * <ol>
 *   <li>sketch {@code Y = A Omega} with a seeded Gaussian {@code items x l} {@code Omega}, {@code l = factors + oversampling}
 *       (capped at {@code min(users, items)}), and orthonormalize it ({@link GramSchmidt});</li>
 *   <li>{@code powerIterations} times: {@code Z = orth(A^T Q)}, {@code Q = orth(A Z)} (re-orthonormalizing at every step keeps float
 *       precision);</li>
 *   <li>{@code B^T = A^T Q = Q2 R} (thin QR), then the small SVD {@code R = U_R Sigma W^T} by one-sided Jacobi
 *       ({@link JacobiSvd}), so {@code A ~ (Q W) Sigma (Q2 U_R)^T} and {@code V = Q2 U_R}.</li>
 * </ol>
 * <b>Conventions.</b> Item factors are {@code V} itself (not scaled by {@code Sigma}); user factors are the projections
 * {@code x_u = r_u V} (= {@code U Sigma}), so a user's scores {@code x_u V^T = r_u V V^T} are PureSVD's, and a new user folds in by
 * the same projection ({@link #foldIn}) without refitting. <b>Sign ambiguity:</b> singular vectors are defined only up to sign
 * ({@code u_k, v_k} and {@code -u_k, -v_k} are equally valid); scores are unaffected, but to make the output reproducible each item
 * factor column is flipped so that its entry of largest magnitude (first such on ties) is positive. If the matrix has rank below
 * {@code factors}, the surplus singular values are 0 and their columns are zero. Large intermediate matrices are float
 * ({@code (users + items) x l}); reductions accumulate in double; the result does not depend on the thread count.
 */
public final class PureSvd {

    private PureSvd() {}

    public static SvdModel train(CsrMatrix userItems, PureSvdParams params) {
        int m = userItems.rows();
        int n = userItems.cols();
        int k = params.factors();
        int limit = Math.min(m, n);
        if (k > limit) {
            throw new IllegalArgumentException("PureSvd.train: [factors] must be <= min(users, items) = [" + limit + "] (was [" + k + "])");
        }
        int l = Math.min(k + params.oversampling(), limit);
        int threads = params.threads();
        CsrMatrix itemUsers = userItems.transpose();
        SplittableRandom random = new SplittableRandom(params.seed());
        float[] omega = new float[n * l];
        for (int j = 0; j < omega.length; j++) {
            omega[j] = (float) random.nextGaussian();
        }
        float[] q = new float[m * l];
        multiply(userItems, omega, l, q, threads);
        GramSchmidt.orthonormalize(q, m, l, null, threads);
        float[] z = omega; // reuse: n x l
        for (int it = 0; it < params.powerIterations(); it++) {
            multiply(itemUsers, q, l, z, threads);
            GramSchmidt.orthonormalize(z, n, l, null, threads);
            multiply(userItems, z, l, q, threads);
            GramSchmidt.orthonormalize(q, m, l, null, threads);
        }
        multiply(itemUsers, q, l, z, threads); // B^T = A^T Q
        double[] r = new double[l * l];
        GramSchmidt.orthonormalize(z, n, l, r, threads); // B^T = Q2 R
        double[] sigma = new double[l];
        JacobiSvd.decompose(r, l, sigma); // r now holds U_R
        float[] itemFactors = new float[n * k];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                double s = 0;
                for (int t = 0; t < l; t++) {
                    s += z[i * l + t] * r[t * l + c];
                }
                itemFactors[i * k + c] = (float) s;
            }
        }
        for (int c = 0; c < k; c++) {
            int best = -1;
            float bestAbs = -1f;
            for (int i = 0; i < n; i++) {
                float v = Math.abs(itemFactors[i * k + c]);
                if (v > bestAbs) {
                    bestAbs = v;
                    best = i;
                }
            }
            if (best >= 0 && itemFactors[best * k + c] < 0) {
                for (int i = 0; i < n; i++) {
                    itemFactors[i * k + c] = -itemFactors[i * k + c];
                }
            }
        }
        float[] userFactors = new float[m * k];
        multiply(userItems, itemFactors, k, userFactors, threads);
        float[] singularValues = new float[k];
        for (int c = 0; c < k; c++) {
            singularValues[c] = (float) sigma[c];
        }
        return new SvdModel(k, m, n, singularValues, userFactors, itemFactors);
    }

    /**
     * Folds a user in by projection, {@code out = sum_j values[j] * v_j}, where {@code v_j} are the {@code k} history items' factor
     * rows packed in {@code historyVectors} ({@code k x d}); identical to how {@link #train} computes user factors.
     */
    public static void foldIn(float[] historyVectors, float[] values, int k, int d, float[] out) {
        if (k < 0 || d <= 0) {
            throw new IllegalArgumentException("PureSvd.foldIn: [k] must be >= 0 and [d] > 0 (was [" + k + "], [" + d + "])");
        }
        CsrMatrix.requireLength("PureSvd.foldIn", "historyVectors", historyVectors.length, (long) k * d);
        CsrMatrix.requireLength("PureSvd.foldIn", "values", values.length, k);
        CsrMatrix.requireLength("PureSvd.foldIn", "out", out.length, d);
        for (int c = 0; c < d; c++) {
            double s = 0;
            for (int j = 0; j < k; j++) {
                s += (double) values[j] * historyVectors[j * d + c];
            }
            out[c] = (float) s;
        }
    }

    /** {@code out = a x} for a sparse {@code a} and a row-major {@code a.cols() x l} {@code x}; rows in parallel. */
    static void multiply(CsrMatrix a, float[] x, int l, float[] out, int threads) {
        int[] indptr = a.indptr();
        int[] indices = a.indices();
        float[] values = a.values();
        double[][] scratch = new double[threads][];
        ParallelRows.run("mfrecs-svd", a.rows(), threads, (worker, from, to) -> {
            double[] acc = scratch[worker];
            if (acc == null) {
                acc = new double[l];
                scratch[worker] = acc;
            }
            for (int u = from; u < to; u++) {
                Arrays.fill(acc, 0);
                for (int p = indptr[u]; p < indptr[u + 1]; p++) {
                    double v = values[p];
                    int off = indices[p] * l;
                    for (int c = 0; c < l; c++) {
                        acc[c] += v * x[off + c];
                    }
                }
                for (int c = 0; c < l; c++) {
                    out[u * l + c] = (float) acc[c];
                }
            }
        });
    }
}
