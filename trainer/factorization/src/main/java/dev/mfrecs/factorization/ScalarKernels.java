package dev.mfrecs.factorization;

import java.util.Arrays;

/**
 * {@link DenseKernels} as plain loops, for JVMs without {@code jdk.incubator.vector} (such as an Elasticsearch node running the
 * plugin). Element-wise updates are written as simple loops the JIT auto-vectorizes; reductions keep several independent
 * accumulators so the additions pipeline instead of waiting on each other. Vectors are not padded ({@link #lanes()} is 1). The
 * double-precision kernels are also those of the tests' {@code LaneKernels} (which extends this class for them).
 */
class ScalarKernels extends DenseKernels {

    @Override
    String name() {
        return "scalar";
    }

    @Override
    int lanes() {
        return 1;
    }

    /** {@code a[aOff..aOff+n) . b[bOff..bOff+n)} in four interleaved chains. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int j = 0;
        for (int end = n - 3; j < end; j += 4) {
            s0 += a[aOff + j] * b[bOff + j];
            s1 += a[aOff + j + 1] * b[bOff + j + 1];
            s2 += a[aOff + j + 2] * b[bOff + j + 2];
            s3 += a[aOff + j + 3] * b[bOff + j + 3];
        }
        for (; j < n; j++) {
            s0 += a[aOff + j] * b[bOff + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code y[yOff..yOff+n) += s * x[xOff..xOff+n)}. */
    static void axpy(float s, float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += s * x[xOff + i];
        }
    }

    @Override
    void symmetricMultiply(float[] g, int dp, int kEnd, float scale, float[] diag, float[] v, float[] out, int[] rows, int n) {
        for (int j = 0; j < n; j++) {
            int off = rows[j] * dp;
            Arrays.fill(out, off, off + dp, 0f);
            int k = 0;
            for (; k + 3 < kEnd; k += 4) {
                // four rows of G per pass over out: a quarter of the loads and stores of out
                float v0 = v[off + k];
                float v1 = v[off + k + 1];
                float v2 = v[off + k + 2];
                float v3 = v[off + k + 3];
                int b0 = k * dp;
                int b1 = b0 + dp;
                int b2 = b1 + dp;
                int b3 = b2 + dp;
                for (int i = 0; i < dp; i++) {
                    out[off + i] += (v0 * g[b0 + i] + v1 * g[b1 + i]) + (v2 * g[b2 + i] + v3 * g[b3 + i]);
                }
            }
            for (; k < kEnd; k++) {
                axpy(v[off + k], g, k * dp, out, off, dp);
            }
            float dg = diag[rows[j]];
            for (int i = 0; i < dp; i++) {
                out[off + i] = scale * out[off + i] + dg * v[off + i];
            }
        }
    }

    @Override
    void sparsePass(float[] y, int yOff, int m, float[] add, float[] mul, int wOff, float[] v, int vOff, float[] out, int outOff, int dp) {
        int q = 0;
        for (; q + 3 < m; q += 4) {
            // four entries per pass: v is loaded once for four dot products and out once for four updates
            int o0 = yOff + q * dp;
            int o1 = o0 + dp;
            int o2 = o1 + dp;
            int o3 = o2 + dp;
            float s00 = 0;
            float s01 = 0;
            float s10 = 0;
            float s11 = 0;
            float s20 = 0;
            float s21 = 0;
            float s30 = 0;
            float s31 = 0;
            int j = 0;
            for (int end = dp - 1; j < end; j += 2) {
                float va = v[vOff + j];
                float vb = v[vOff + j + 1];
                s00 += y[o0 + j] * va;
                s01 += y[o0 + j + 1] * vb;
                s10 += y[o1 + j] * va;
                s11 += y[o1 + j + 1] * vb;
                s20 += y[o2 + j] * va;
                s21 += y[o2 + j + 1] * vb;
                s30 += y[o3 + j] * va;
                s31 += y[o3 + j + 1] * vb;
            }
            if (j < dp) {
                float va = v[vOff + j];
                s00 += y[o0 + j] * va;
                s10 += y[o1 + j] * va;
                s20 += y[o2 + j] * va;
                s30 += y[o3 + j] * va;
            }
            int w = wOff + q;
            float t0 = add[w] + mul[w] * (s00 + s01);
            float t1 = add[w + 1] + mul[w + 1] * (s10 + s11);
            float t2 = add[w + 2] + mul[w + 2] * (s20 + s21);
            float t3 = add[w + 3] + mul[w + 3] * (s30 + s31);
            for (int i = 0; i < dp; i++) {
                out[outOff + i] += (t0 * y[o0 + i] + t1 * y[o1 + i]) + (t2 * y[o2 + i] + t3 * y[o3 + i]);
            }
        }
        for (; q < m; q++) {
            int off = yOff + q * dp;
            axpy(add[wOff + q] + mul[wOff + q] * dot(y, off, v, vOff, dp), y, off, out, outOff, dp);
        }
    }

    @Override
    void gather(float[] src, int[] offsets, int from, int n, int d, float[] dst, int dstOff, int dp) {
        for (int q = 0; q < n; q++) {
            int t = dstOff + q * dp;
            System.arraycopy(src, offsets[from + q], dst, t, d);
            Arrays.fill(dst, t + d, t + dp, 0f);
        }
    }

    @Override
    void gramUpdate(float[] factors, int from, int to, int d, float[] acc) {
        int row = from;
        for (; row + 3 < to; row += 4) {
            int o0 = row * d;
            int o1 = o0 + d;
            int o2 = o1 + d;
            int o3 = o2 + d;
            for (int a = 0; a < d; a++) {
                float y0 = factors[o0 + a];
                float y1 = factors[o1 + a];
                float y2 = factors[o2 + a];
                float y3 = factors[o3 + a];
                int base = a * d;
                for (int b = a; b < d; b++) {
                    acc[base + b] += (y0 * factors[o0 + b] + y1 * factors[o1 + b]) + (y2 * factors[o2 + b] + y3 * factors[o3 + b]);
                }
            }
        }
        for (; row < to; row++) {
            int off = row * d;
            for (int a = 0; a < d; a++) {
                float ya = factors[off + a];
                int base = a * d;
                for (int b = a; b < d; b++) {
                    acc[base + b] += ya * factors[off + b];
                }
            }
        }
    }

    @Override
    double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (int end = n - 3; k < end; k += 4) {
            s0 += a[aOff + k] * b[bOff + k];
            s1 += a[aOff + k + 1] * b[bOff + k + 1];
            s2 += a[aOff + k + 2] * b[bOff + k + 2];
            s3 += a[aOff + k + 3] * b[bOff + k + 3];
        }
        for (; k < n; k++) {
            s0 += a[aOff + k] * b[bOff + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    void lowerRankUpdate(double[] a, double[] b, int d, double[] ys, double[] w, double[] c, int m) {
        for (int q = 0; q < m; q++) {
            axpy(c[q], ys, q * d, b, 0, d);
        }
        int q = 0;
        for (; q + 3 < m; q += 4) {
            rankFourRows(a, d, ys, w, q, 0);
        }
        for (; q < m; q++) {
            rankOne(a, d, ys, w[q], q * d);
        }
    }

    /**
     * Rank-4 update of rows {@code fromRow..d-1} of the lower triangle of {@code a} with entries {@code q..q+3} of {@code ys}: one
     * pass over those rows for four entries. Also the SIMD kernels' tail for the rows their 4 x 4 blocks do not cover.
     */
    static void rankFourRows(double[] a, int d, double[] ys, double[] w, int q, int fromRow) {
        double w0 = w[q];
        double w1 = w[q + 1];
        double w2 = w[q + 2];
        double w3 = w[q + 3];
        int o0 = q * d;
        int o1 = o0 + d;
        int o2 = o1 + d;
        int o3 = o2 + d;
        for (int i = fromRow; i < d; i++) {
            double s0 = w0 * ys[o0 + i];
            double s1 = w1 * ys[o1 + i];
            double s2 = w2 * ys[o2 + i];
            double s3 = w3 * ys[o3 + i];
            int base = i * d;
            for (int k = 0; k <= i; k++) {
                a[base + k] += (s0 * ys[o0 + k] + s1 * ys[o1 + k]) + (s2 * ys[o2 + k] + s3 * ys[o3 + k]);
            }
        }
    }

    /** Rank-1 update {@code a += w y y^T} of the lower triangle, {@code y = ys[off..off+d)}. */
    static void rankOne(double[] a, int d, double[] ys, double w, int off) {
        for (int i = 0; i < d; i++) {
            double s = w * ys[off + i];
            int base = i * d;
            for (int k = 0; k <= i; k++) {
                a[base + k] += s * ys[off + k];
            }
        }
    }

    @Override
    void dot4(double[] a, int row, int r0, int r1, int r2, int r3, int n, double[] out) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        for (int k = 0; k < n; k++) {
            double v = a[row + k];
            s0 += v * a[r0 + k];
            s1 += v * a[r1 + k];
            s2 += v * a[r2 + k];
            s3 += v * a[r3 + k];
        }
        out[0] = s0;
        out[1] = s1;
        out[2] = s2;
        out[3] = s3;
    }

    /** {@code y[yOff..yOff+n) += s * x[xOff..xOff+n)} in double. */
    private static void axpy(double s, double[] x, int xOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            y[yOff + i] += s * x[xOff + i];
        }
    }
}
