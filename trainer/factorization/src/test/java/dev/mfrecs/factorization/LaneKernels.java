package dev.mfrecs.factorization;

import java.util.Arrays;

/**
 * The tests' transcription of the float kernels of {@link SimdKernels} for {@code lanes} lanes into plain Java: the same fused
 * multiply-adds ({@link Math#fma}) lane by lane in the same order, the same two-accumulator inner products and pairwise reduction
 * tree (see {@link DenseKernels}). The SIMD kernels must match it bit for bit, interpreted and compiled alike, which is what makes
 * training results independent of JIT timing. The double-precision kernels are {@link ScalarKernels}'.
 */
final class LaneKernels extends ScalarKernels {

    private final int lanes;

    /** Per-thread lane accumulators of the inner products: two of {@code lanes} floats. */
    private final ThreadLocal<float[]> scratch;

    LaneKernels(int lanes) {
        if (lanes <= 0 || Integer.bitCount(lanes) != 1) {
            throw new IllegalArgumentException("LaneKernels: [lanes] must be a power of two (was [" + lanes + "])");
        }
        this.lanes = lanes;
        this.scratch = ThreadLocal.withInitial(() -> new float[2 * lanes]);
    }

    @Override
    String name() {
        return "lanes (" + lanes + " floats, plain Java)";
    }

    @Override
    int lanes() {
        return lanes;
    }

    /**
     * {@link SimdKernels}' inner product: lane accumulator {@code s0} takes vector chunks 0, 2, 4, ... ({@code s1} the odd ones), the
     * first of each a plain product and the others fused multiply-adds; then {@code s0 + s1} and the pairwise tree.
     */
    private float dot(float[] a, int aOff, float[] b, int bOff, int n, float[] s) {
        int l = lanes;
        for (int i = 0; i < l; i++) {
            s[i] = a[aOff + i] * b[bOff + i];
        }
        if (n == l) {
            return tree(s);
        }
        for (int i = 0; i < l; i++) {
            s[l + i] = a[aOff + l + i] * b[bOff + l + i];
        }
        int j = 2 * l;
        for (; j + 2 * l <= n; j += 2 * l) {
            for (int i = 0; i < l; i++) {
                s[i] = Math.fma(a[aOff + j + i], b[bOff + j + i], s[i]);
                s[l + i] = Math.fma(a[aOff + j + l + i], b[bOff + j + l + i], s[l + i]);
            }
        }
        if (j < n) {
            for (int i = 0; i < l; i++) {
                s[i] = Math.fma(a[aOff + j + i], b[bOff + j + i], s[i]);
            }
        }
        for (int i = 0; i < l; i++) {
            s[i] = s[i] + s[l + i];
        }
        return tree(s);
    }

    /** {@code s[0..lanes)} summed by {@code s[i] += s[i + w]} for {@code w = lanes/2, ..., 1} (overwrites {@code s}). */
    private float tree(float[] s) {
        for (int w = lanes >> 1; w >= 1; w >>= 1) {
            for (int i = 0; i < w; i++) {
                s[i] = s[i] + s[i + w];
            }
        }
        return s[0];
    }

    @Override
    void symmetricMultiply(float[] g, int dp, int kEnd, float scale, float[] diag, float[] v, float[] out, int[] rows, int n) {
        for (int j = 0; j < n; j++) {
            int off = rows[j] * dp;
            Arrays.fill(out, off, off + dp, 0f);
            for (int k = 0; k < kEnd; k++) {
                float vk = v[off + k];
                int gk = k * dp;
                for (int i = 0; i < dp; i++) {
                    out[off + i] = Math.fma(g[gk + i], vk, out[off + i]);
                }
            }
            float dg = diag[rows[j]];
            for (int i = 0; i < dp; i++) {
                out[off + i] = out[off + i] * scale + v[off + i] * dg;
            }
        }
    }

    @Override
    void sparsePass(float[] y, int yOff, int m, float[] add, float[] mul, int wOff, float[] v, int vOff, float[] out, int outOff, int dp) {
        float[] s = scratch.get();
        for (int q = 0; q < m; q++) {
            int o = yOff + q * dp;
            float t = add[wOff + q] + mul[wOff + q] * dot(y, o, v, vOff, dp, s);
            for (int i = 0; i < dp; i++) {
                out[outOff + i] = Math.fma(y[o + i], t, out[outOff + i]);
            }
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
                float f0 = factors[o0 + a];
                float f1 = factors[o1 + a];
                float f2 = factors[o2 + a];
                float f3 = factors[o3 + a];
                int base = a * d;
                for (int b = a; b < d; b++) {
                    float t = Math.fma(factors[o1 + b], f1, factors[o0 + b] * f0);
                    float u = Math.fma(factors[o3 + b], f3, factors[o2 + b] * f2);
                    acc[base + b] = acc[base + b] + (t + u);
                }
            }
        }
        for (; row < to; row++) {
            int off = row * d;
            for (int a = 0; a < d; a++) {
                float f = factors[off + a];
                int base = a * d;
                for (int b = a; b < d; b++) {
                    acc[base + b] = Math.fma(factors[off + b], f, acc[base + b]);
                }
            }
        }
    }
}
