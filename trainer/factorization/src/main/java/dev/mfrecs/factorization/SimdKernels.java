package dev.mfrecs.factorization;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * {@link DenseKernels} on the Vector API ({@code jdk.incubator.vector}): the widest float lanes the CPU has (16 with AVX-512, 8 with
 * AVX2) and fused multiply-add. Only loaded, reflectively, by {@link DenseKernels} when the module is present, so nothing else
 * links against the incubator API.
 * <p>
 * Deterministic by construction: no {@code reduceLanes} (whose order of additions the API leaves open, and which C2 and the
 * interpreter do carry out in different orders, so a result depended on whether the method was compiled yet), only lane-wise
 * operations and the fixed pairwise tree of {@link #sum}. The tests hold the float kernels to a lane-by-lane plain-Java
 * transcription, bit for bit.
 * <p>
 * The sparse pass of conjugate gradient keeps {@code v}, {@code out} and the current entry's vector in registers when a padded
 * row vector is at most {@link #REGISTER_CHUNKS} vectors long (d up to 128 with AVX-512, 32 with AVX2): then each entry costs one
 * load of its vector for both its inner product and its update, and nothing else touches memory.
 */
final class SimdKernels extends DenseKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = D.length();

    /** Longest padded vector, in vectors, that {@link #sparsePass} keeps in registers (32 vector registers with AVX-512, 16 else). */
    static final int REGISTER_CHUNKS = S.vectorBitSize() >= 512 ? 8 : 4;

    /** Lane rotations by 16, 8, 4, 2, 1 for the reduction tree (those not shorter than the vector are unused). */
    private static final VectorShuffle<Float> ROT16 = rotation(S, 16);
    private static final VectorShuffle<Float> ROT8 = rotation(S, 8);
    private static final VectorShuffle<Float> ROT4 = rotation(S, 4);
    private static final VectorShuffle<Float> ROT2 = rotation(S, 2);
    private static final VectorShuffle<Float> ROT1 = rotation(S, 1);
    private static final VectorShuffle<Double> DROT4 = rotation(D, 4);
    private static final VectorShuffle<Double> DROT2 = rotation(D, 2);
    private static final VectorShuffle<Double> DROT1 = rotation(D, 1);

    private static <E> VectorShuffle<E> rotation(VectorSpecies<E> species, int by) {
        int n = species.length();
        return VectorShuffle.fromOp(species, i -> (i + by) % n);
    }

    @Override
    String name() {
        return "simd (" + S.vectorBitSize() + "-bit, " + L + " floats)";
    }

    @Override
    int lanes() {
        return L;
    }

    /**
     * The lanes of {@code s} summed by the fixed pairwise tree {@code s[l] += s[l + w]}, {@code w = L/2, ..., 1}, so the result is
     * the same in every JIT tier.
     */
    static float sum(FloatVector s) {
        if (L >= 32) {
            s = s.add(s.rearrange(ROT16));
        }
        if (L >= 16) {
            s = s.add(s.rearrange(ROT8));
        }
        if (L >= 8) {
            s = s.add(s.rearrange(ROT4));
        }
        if (L >= 4) {
            s = s.add(s.rearrange(ROT2));
        }
        if (L >= 2) {
            s = s.add(s.rearrange(ROT1));
        }
        return s.lane(0);
    }

    /** As {@link #sum(FloatVector)} in double. */
    static double sum(DoubleVector s) {
        if (DL >= 16) {
            throw new IllegalStateException("SimdKernels: more than 8 double lanes");
        }
        if (DL >= 8) {
            s = s.add(s.rearrange(DROT4));
        }
        if (DL >= 4) {
            s = s.add(s.rearrange(DROT2));
        }
        if (DL >= 2) {
            s = s.add(s.rearrange(DROT1));
        }
        return s.lane(0);
    }

    @Override
    void symmetricMultiply(float[] g, int dp, int kEnd, float scale, float[] diag, float[] v, float[] out, int[] rows, int n) {
        // four rows per pass over G; a group of fewer repeats its last row (the same values stored twice), which is rare: groups
        // are of four rows, and few rows stop before the last step
        for (int j = 0; j < n; j += 4) {
            int r0 = rows[j];
            int r1 = rows[Math.min(j + 1, n - 1)];
            int r2 = rows[Math.min(j + 2, n - 1)];
            int r3 = rows[Math.min(j + 3, n - 1)];
            multiplyQuad(g, dp, kEnd, scale, v, out, r0 * dp, r1 * dp, r2 * dp, r3 * dp, diag[r0], diag[r1], diag[r2], diag[r3]);
        }
    }

    /**
     * {@code out = scale G v + diag v} for four rows at once: two vectors of each row's result stay in registers while the loop
     * runs over k, so each loaded slice of {@code G} serves four rows and {@code out} is only written; per lane a chain of fused
     * multiply-adds over k from zero, then the scaling. Rows start at {@code o0..o3} in {@code v} and {@code out}.
     */
    private static void multiplyQuad(float[] g, int dp, int kEnd, float scale, float[] v, float[] out, int o0, int o1, int o2, int o3,
                                     float d0, float d1, float d2, float d3) {
        FloatVector sc = FloatVector.broadcast(S, scale);
        int c = 0;
        for (; c + 2 * L <= dp; c += 2 * L) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = a0;
            FloatVector b0 = a0;
            FloatVector b1 = a0;
            FloatVector c0 = a0;
            FloatVector c1 = a0;
            FloatVector e0 = a0;
            FloatVector e1 = a0;
            for (int k = 0; k < kEnd; k++) {
                int gk = k * dp + c;
                FloatVector g0 = FloatVector.fromArray(S, g, gk);
                FloatVector g1 = FloatVector.fromArray(S, g, gk + L);
                FloatVector va = FloatVector.broadcast(S, v[o0 + k]);
                FloatVector vb = FloatVector.broadcast(S, v[o1 + k]);
                FloatVector vc = FloatVector.broadcast(S, v[o2 + k]);
                FloatVector ve = FloatVector.broadcast(S, v[o3 + k]);
                a0 = g0.fma(va, a0);
                a1 = g1.fma(va, a1);
                b0 = g0.fma(vb, b0);
                b1 = g1.fma(vb, b1);
                c0 = g0.fma(vc, c0);
                c1 = g1.fma(vc, c1);
                e0 = g0.fma(ve, e0);
                e1 = g1.fma(ve, e1);
            }
            store(a0, a1, sc, d0, v, out, o0 + c);
            store(b0, b1, sc, d1, v, out, o1 + c);
            store(c0, c1, sc, d2, v, out, o2 + c);
            store(e0, e1, sc, d3, v, out, o3 + c);
        }
        if (c < dp) {
            // an odd last vector
            FloatVector a0 = FloatVector.zero(S);
            FloatVector b0 = a0;
            FloatVector c0 = a0;
            FloatVector e0 = a0;
            for (int k = 0; k < kEnd; k++) {
                FloatVector g0 = FloatVector.fromArray(S, g, k * dp + c);
                a0 = g0.fma(FloatVector.broadcast(S, v[o0 + k]), a0);
                b0 = g0.fma(FloatVector.broadcast(S, v[o1 + k]), b0);
                c0 = g0.fma(FloatVector.broadcast(S, v[o2 + k]), c0);
                e0 = g0.fma(FloatVector.broadcast(S, v[o3 + k]), e0);
            }
            a0.mul(sc).add(FloatVector.fromArray(S, v, o0 + c).mul(d0)).intoArray(out, o0 + c);
            b0.mul(sc).add(FloatVector.fromArray(S, v, o1 + c).mul(d1)).intoArray(out, o1 + c);
            c0.mul(sc).add(FloatVector.fromArray(S, v, o2 + c).mul(d2)).intoArray(out, o2 + c);
            e0.mul(sc).add(FloatVector.fromArray(S, v, o3 + c).mul(d3)).intoArray(out, o3 + c);
        }
    }

    /** Two result vectors of a row of {@link #multiplyQuad}, scaled: {@code o * scale + v * diag}, to {@code out[at..at+2L)}. */
    private static void store(FloatVector o0, FloatVector o1, FloatVector sc, float diag, float[] v, float[] out, int at) {
        o0.mul(sc).add(FloatVector.fromArray(S, v, at).mul(diag)).intoArray(out, at);
        o1.mul(sc).add(FloatVector.fromArray(S, v, at + L).mul(diag)).intoArray(out, at + L);
    }

    @Override
    void sparsePass(float[] y, int yOff, int m, float[] add, float[] mul, int wOff, float[] v, int vOff, float[] out, int outOff, int dp) {
        int chunks = dp / L;
        if (chunks <= REGISTER_CHUNKS) {
            switch (chunks) {
                case 1 -> {
                    sparsePass1(y, yOff, m, add, mul, wOff, v, vOff, out, outOff);
                    return;
                }
                case 2 -> {
                    sparsePass2(y, yOff, m, add, mul, wOff, v, vOff, out, outOff);
                    return;
                }
                case 4 -> {
                    sparsePass4(y, yOff, m, add, mul, wOff, v, vOff, out, outOff);
                    return;
                }
                case 8 -> {
                    sparsePass8(y, yOff, m, add, mul, wOff, v, vOff, out, outOff);
                    return;
                }
                default -> {
                    // other lengths take the general loop
                }
            }
        }
        sparsePassAny(y, yOff, m, add, mul, wOff, v, vOff, out, outOff, dp);
    }

    /**
     * {@link #sparsePass} for any padded length: four entries per pass (each slice of {@code v} loaded once for four inner products,
     * each slice of {@code out} once for four updates, applied in entry order), the last one to three entries one by one.
     */
    private static void sparsePassAny(float[] y, int yOff, int m, float[] add, float[] mul, int wOff, float[] v, int vOff, float[] out,
                                      int outOff, int dp) {
        int q = 0;
        for (; q + 3 < m; q += 4) {
            int o0 = yOff + q * dp;
            int o1 = o0 + dp;
            int o2 = o1 + dp;
            int o3 = o2 + dp;
            FloatVector v0 = FloatVector.fromArray(S, v, vOff);
            FloatVector a0 = FloatVector.fromArray(S, y, o0).mul(v0);
            FloatVector a1 = FloatVector.fromArray(S, y, o1).mul(v0);
            FloatVector a2 = FloatVector.fromArray(S, y, o2).mul(v0);
            FloatVector a3 = FloatVector.fromArray(S, y, o3).mul(v0);
            FloatVector s0;
            FloatVector s1;
            FloatVector s2;
            FloatVector s3;
            if (dp == L) {
                s0 = a0;
                s1 = a1;
                s2 = a2;
                s3 = a3;
            } else {
                FloatVector v1 = FloatVector.fromArray(S, v, vOff + L);
                FloatVector b0 = FloatVector.fromArray(S, y, o0 + L).mul(v1);
                FloatVector b1 = FloatVector.fromArray(S, y, o1 + L).mul(v1);
                FloatVector b2 = FloatVector.fromArray(S, y, o2 + L).mul(v1);
                FloatVector b3 = FloatVector.fromArray(S, y, o3 + L).mul(v1);
                int j = 2 * L;
                for (int end = dp - 2 * L; j <= end; j += 2 * L) {
                    FloatVector va = FloatVector.fromArray(S, v, vOff + j);
                    FloatVector vb = FloatVector.fromArray(S, v, vOff + j + L);
                    a0 = FloatVector.fromArray(S, y, o0 + j).fma(va, a0);
                    b0 = FloatVector.fromArray(S, y, o0 + j + L).fma(vb, b0);
                    a1 = FloatVector.fromArray(S, y, o1 + j).fma(va, a1);
                    b1 = FloatVector.fromArray(S, y, o1 + j + L).fma(vb, b1);
                    a2 = FloatVector.fromArray(S, y, o2 + j).fma(va, a2);
                    b2 = FloatVector.fromArray(S, y, o2 + j + L).fma(vb, b2);
                    a3 = FloatVector.fromArray(S, y, o3 + j).fma(va, a3);
                    b3 = FloatVector.fromArray(S, y, o3 + j + L).fma(vb, b3);
                }
                if (j < dp) {
                    FloatVector va = FloatVector.fromArray(S, v, vOff + j);
                    a0 = FloatVector.fromArray(S, y, o0 + j).fma(va, a0);
                    a1 = FloatVector.fromArray(S, y, o1 + j).fma(va, a1);
                    a2 = FloatVector.fromArray(S, y, o2 + j).fma(va, a2);
                    a3 = FloatVector.fromArray(S, y, o3 + j).fma(va, a3);
                }
                s0 = a0.add(b0);
                s1 = a1.add(b1);
                s2 = a2.add(b2);
                s3 = a3.add(b3);
            }
            int w = wOff + q;
            FloatVector t0 = FloatVector.broadcast(S, add[w] + mul[w] * sum(s0));
            FloatVector t1 = FloatVector.broadcast(S, add[w + 1] + mul[w + 1] * sum(s1));
            FloatVector t2 = FloatVector.broadcast(S, add[w + 2] + mul[w + 2] * sum(s2));
            FloatVector t3 = FloatVector.broadcast(S, add[w + 3] + mul[w + 3] * sum(s3));
            for (int i = 0; i < dp; i += L) {
                FloatVector o = FloatVector.fromArray(S, out, outOff + i);
                o = FloatVector.fromArray(S, y, o0 + i).fma(t0, o);
                o = FloatVector.fromArray(S, y, o1 + i).fma(t1, o);
                o = FloatVector.fromArray(S, y, o2 + i).fma(t2, o);
                o = FloatVector.fromArray(S, y, o3 + i).fma(t3, o);
                o.intoArray(out, outOff + i);
            }
        }
        for (; q < m; q++) {
            int o0 = yOff + q * dp;
            float t = add[wOff + q] + mul[wOff + q] * dot0(y, o0, v, vOff, dp);
            FloatVector tv = FloatVector.broadcast(S, t);
            for (int i = 0; i < dp; i += L) {
                FloatVector.fromArray(S, y, o0 + i).fma(tv, FloatVector.fromArray(S, out, outOff + i)).intoArray(out, outOff + i);
            }
        }
    }

    /** The inner product of an entry vector with {@code v} in {@link #sparsePassAny} (see {@link DenseKernels}). */
    private static float dot0(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector s0 = FloatVector.fromArray(S, a, aOff).mul(FloatVector.fromArray(S, b, bOff));
        if (n == L) {
            return sum(s0);
        }
        FloatVector s1 = FloatVector.fromArray(S, a, aOff + L).mul(FloatVector.fromArray(S, b, bOff + L));
        int j = 2 * L;
        for (int end = n - 2 * L; j <= end; j += 2 * L) {
            s0 = FloatVector.fromArray(S, a, aOff + j).fma(FloatVector.fromArray(S, b, bOff + j), s0);
            s1 = FloatVector.fromArray(S, a, aOff + j + L).fma(FloatVector.fromArray(S, b, bOff + j + L), s1);
        }
        if (j < n) {
            s0 = FloatVector.fromArray(S, a, aOff + j).fma(FloatVector.fromArray(S, b, bOff + j), s0);
        }
        return sum(s0.add(s1));
    }

    /** {@link #sparsePass} with 1 vector per row vector: {@code v}, {@code out} and the current entry's vector stay in registers. */
    private static void sparsePass1(float[] y, int yOff, int m, float[] add, float[] mul, int wOff, float[] v, int vOff, float[] out,
                                   int outOff) {
        FloatVector v0 = FloatVector.fromArray(S, v, vOff);
        FloatVector u0 = FloatVector.fromArray(S, out, outOff);
        for (int q = 0; q < m; q++) {
            int o = yOff + q * L;
            FloatVector y0 = FloatVector.fromArray(S, y, o);
            FloatVector a = y0.mul(v0);
            float t = add[wOff + q] + mul[wOff + q] * sum(a);
            FloatVector tv = FloatVector.broadcast(S, t);
            u0 = y0.fma(tv, u0);
        }
        u0.intoArray(out, outOff);
    }

    /** {@link #sparsePass} with 2 vectors per row vector: {@code v}, {@code out} and the current entry's vector stay in registers. */
    private static void sparsePass2(float[] y, int yOff, int m, float[] add, float[] mul, int wOff, float[] v, int vOff, float[] out,
                                   int outOff) {
        FloatVector v0 = FloatVector.fromArray(S, v, vOff);
        FloatVector v1 = FloatVector.fromArray(S, v, vOff + L);
        FloatVector u0 = FloatVector.fromArray(S, out, outOff);
        FloatVector u1 = FloatVector.fromArray(S, out, outOff + L);
        for (int q = 0; q < m; q++) {
            int o = yOff + q * 2 * L;
            FloatVector y0 = FloatVector.fromArray(S, y, o);
            FloatVector y1 = FloatVector.fromArray(S, y, o + L);
            FloatVector a = y0.mul(v0);
            FloatVector b = y1.mul(v1);
            float t = add[wOff + q] + mul[wOff + q] * sum(a.add(b));
            FloatVector tv = FloatVector.broadcast(S, t);
            u0 = y0.fma(tv, u0);
            u1 = y1.fma(tv, u1);
        }
        u0.intoArray(out, outOff);
        u1.intoArray(out, outOff + L);
    }

    /** {@link #sparsePass} with 4 vectors per row vector: {@code v}, {@code out} and the current entry's vector stay in registers. */
    private static void sparsePass4(float[] y, int yOff, int m, float[] add, float[] mul, int wOff, float[] v, int vOff, float[] out,
                                   int outOff) {
        FloatVector v0 = FloatVector.fromArray(S, v, vOff);
        FloatVector v1 = FloatVector.fromArray(S, v, vOff + L);
        FloatVector v2 = FloatVector.fromArray(S, v, vOff + 2 * L);
        FloatVector v3 = FloatVector.fromArray(S, v, vOff + 3 * L);
        FloatVector u0 = FloatVector.fromArray(S, out, outOff);
        FloatVector u1 = FloatVector.fromArray(S, out, outOff + L);
        FloatVector u2 = FloatVector.fromArray(S, out, outOff + 2 * L);
        FloatVector u3 = FloatVector.fromArray(S, out, outOff + 3 * L);
        for (int q = 0; q < m; q++) {
            int o = yOff + q * 4 * L;
            FloatVector y0 = FloatVector.fromArray(S, y, o);
            FloatVector y1 = FloatVector.fromArray(S, y, o + L);
            FloatVector y2 = FloatVector.fromArray(S, y, o + 2 * L);
            FloatVector y3 = FloatVector.fromArray(S, y, o + 3 * L);
            FloatVector a = y0.mul(v0);
            FloatVector b = y1.mul(v1);
            a = y2.fma(v2, a);
            b = y3.fma(v3, b);
            float t = add[wOff + q] + mul[wOff + q] * sum(a.add(b));
            FloatVector tv = FloatVector.broadcast(S, t);
            u0 = y0.fma(tv, u0);
            u1 = y1.fma(tv, u1);
            u2 = y2.fma(tv, u2);
            u3 = y3.fma(tv, u3);
        }
        u0.intoArray(out, outOff);
        u1.intoArray(out, outOff + L);
        u2.intoArray(out, outOff + 2 * L);
        u3.intoArray(out, outOff + 3 * L);
    }

    /** {@link #sparsePass} with 8 vectors per row vector: {@code v}, {@code out} and the current entry's vector stay in registers. */
    private static void sparsePass8(float[] y, int yOff, int m, float[] add, float[] mul, int wOff, float[] v, int vOff, float[] out,
                                   int outOff) {
        FloatVector v0 = FloatVector.fromArray(S, v, vOff);
        FloatVector v1 = FloatVector.fromArray(S, v, vOff + L);
        FloatVector v2 = FloatVector.fromArray(S, v, vOff + 2 * L);
        FloatVector v3 = FloatVector.fromArray(S, v, vOff + 3 * L);
        FloatVector v4 = FloatVector.fromArray(S, v, vOff + 4 * L);
        FloatVector v5 = FloatVector.fromArray(S, v, vOff + 5 * L);
        FloatVector v6 = FloatVector.fromArray(S, v, vOff + 6 * L);
        FloatVector v7 = FloatVector.fromArray(S, v, vOff + 7 * L);
        FloatVector u0 = FloatVector.fromArray(S, out, outOff);
        FloatVector u1 = FloatVector.fromArray(S, out, outOff + L);
        FloatVector u2 = FloatVector.fromArray(S, out, outOff + 2 * L);
        FloatVector u3 = FloatVector.fromArray(S, out, outOff + 3 * L);
        FloatVector u4 = FloatVector.fromArray(S, out, outOff + 4 * L);
        FloatVector u5 = FloatVector.fromArray(S, out, outOff + 5 * L);
        FloatVector u6 = FloatVector.fromArray(S, out, outOff + 6 * L);
        FloatVector u7 = FloatVector.fromArray(S, out, outOff + 7 * L);
        for (int q = 0; q < m; q++) {
            int o = yOff + q * 8 * L;
            FloatVector y0 = FloatVector.fromArray(S, y, o);
            FloatVector y1 = FloatVector.fromArray(S, y, o + L);
            FloatVector y2 = FloatVector.fromArray(S, y, o + 2 * L);
            FloatVector y3 = FloatVector.fromArray(S, y, o + 3 * L);
            FloatVector y4 = FloatVector.fromArray(S, y, o + 4 * L);
            FloatVector y5 = FloatVector.fromArray(S, y, o + 5 * L);
            FloatVector y6 = FloatVector.fromArray(S, y, o + 6 * L);
            FloatVector y7 = FloatVector.fromArray(S, y, o + 7 * L);
            FloatVector a = y0.mul(v0);
            FloatVector b = y1.mul(v1);
            a = y2.fma(v2, a);
            b = y3.fma(v3, b);
            a = y4.fma(v4, a);
            b = y5.fma(v5, b);
            a = y6.fma(v6, a);
            b = y7.fma(v7, b);
            float t = add[wOff + q] + mul[wOff + q] * sum(a.add(b));
            FloatVector tv = FloatVector.broadcast(S, t);
            u0 = y0.fma(tv, u0);
            u1 = y1.fma(tv, u1);
            u2 = y2.fma(tv, u2);
            u3 = y3.fma(tv, u3);
            u4 = y4.fma(tv, u4);
            u5 = y5.fma(tv, u5);
            u6 = y6.fma(tv, u6);
            u7 = y7.fma(tv, u7);
        }
        u0.intoArray(out, outOff);
        u1.intoArray(out, outOff + L);
        u2.intoArray(out, outOff + 2 * L);
        u3.intoArray(out, outOff + 3 * L);
        u4.intoArray(out, outOff + 4 * L);
        u5.intoArray(out, outOff + 5 * L);
        u6.intoArray(out, outOff + 6 * L);
        u7.intoArray(out, outOff + 7 * L);
    }


    @Override
    void gather(float[] src, int[] offsets, int from, int n, int d, float[] dst, int dstOff, int dp) {
        if (d == dp) {
            // whole vectors: an inlined vector copy measured faster than System.arraycopy for 256 to 512 bytes
            for (int q = 0; q < n; q++) {
                int s = offsets[from + q];
                int t = dstOff + q * dp;
                for (int i = 0; i < dp; i += L) {
                    FloatVector.fromArray(S, src, s + i).intoArray(dst, t + i);
                }
            }
            return;
        }
        for (int q = 0; q < n; q++) {
            int t = dstOff + q * dp;
            System.arraycopy(src, offsets[from + q], dst, t, d);
            Arrays.fill(dst, t + d, t + dp, 0f);
        }
    }

    @Override
    void gramUpdate(float[] factors, int from, int to, int d, float[] acc) {
        int vectorEnd = d - d % L;
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
                FloatVector y0 = FloatVector.broadcast(S, f0);
                FloatVector y1 = FloatVector.broadcast(S, f1);
                FloatVector y2 = FloatVector.broadcast(S, f2);
                FloatVector y3 = FloatVector.broadcast(S, f3);
                int base = a * d;
                // the upper triangle from a, started at the vector boundary below it (a few entries below the diagonal are
                // updated too, which the contract allows); the four rows' products summed pairwise, then added: one rounding of
                // the (larger) accumulated entry per four rows
                int b = a - a % L;
                for (; b < vectorEnd; b += L) {
                    FloatVector t = FloatVector.fromArray(S, factors, o1 + b).fma(y1, FloatVector.fromArray(S, factors, o0 + b).mul(y0));
                    FloatVector u = FloatVector.fromArray(S, factors, o3 + b).fma(y3, FloatVector.fromArray(S, factors, o2 + b).mul(y2));
                    FloatVector.fromArray(S, acc, base + b).add(t.add(u)).intoArray(acc, base + b);
                }
                for (b = Math.max(b, a); b < d; b++) {
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
                FloatVector y0 = FloatVector.broadcast(S, f);
                int base = a * d;
                int b = a - a % L;
                for (; b < vectorEnd; b += L) {
                    FloatVector.fromArray(S, factors, off + b).fma(y0, FloatVector.fromArray(S, acc, base + b)).intoArray(acc, base + b);
                }
                for (b = Math.max(b, a); b < d; b++) {
                    acc[base + b] = Math.fma(factors[off + b], f, acc[base + b]);
                }
            }
        }
    }

    @Override
    double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = DoubleVector.zero(D);
        int k = 0;
        for (int end = n - 2 * DL; k <= end; k += 2 * DL) {
            s0 = DoubleVector.fromArray(D, a, aOff + k).fma(DoubleVector.fromArray(D, b, bOff + k), s0);
            s1 = DoubleVector.fromArray(D, a, aOff + k + DL).fma(DoubleVector.fromArray(D, b, bOff + k + DL), s1);
        }
        if (k <= n - DL) {
            s0 = DoubleVector.fromArray(D, a, aOff + k).fma(DoubleVector.fromArray(D, b, bOff + k), s0);
            k += DL;
        }
        double s = sum(s0.add(s1));
        for (; k < n; k++) {
            s += a[aOff + k] * b[bOff + k];
        }
        return s;
    }

    @Override
    void lowerRankUpdate(double[] a, double[] b, int d, double[] ys, double[] w, double[] c, int m) {
        for (int q = 0; q < m; q++) {
            axpy(c[q], ys, q * d, b, 0, d);
        }
        int q = 0;
        for (; q + 3 < m; q += 4) {
            int o0 = q * d;
            int o1 = o0 + d;
            int o2 = o1 + d;
            int o3 = o2 + d;
            double w0 = w[q];
            double w1 = w[q + 1];
            double w2 = w[q + 2];
            double w3 = w[q + 3];
            int i = 0;
            // 4 rows x 4 entries per block: every loaded slice of an entry vector feeds four rows' updates, so the kernel does
            // one load per FMA less than a row-at-a-time update (the triangle of a does not fit in L1 at d = 128)
            for (; i + 3 < d; i += 4) {
                DoubleVector s00 = DoubleVector.broadcast(D, w0 * ys[o0 + i]);
                DoubleVector s01 = DoubleVector.broadcast(D, w1 * ys[o1 + i]);
                DoubleVector s02 = DoubleVector.broadcast(D, w2 * ys[o2 + i]);
                DoubleVector s03 = DoubleVector.broadcast(D, w3 * ys[o3 + i]);
                DoubleVector s10 = DoubleVector.broadcast(D, w0 * ys[o0 + i + 1]);
                DoubleVector s11 = DoubleVector.broadcast(D, w1 * ys[o1 + i + 1]);
                DoubleVector s12 = DoubleVector.broadcast(D, w2 * ys[o2 + i + 1]);
                DoubleVector s13 = DoubleVector.broadcast(D, w3 * ys[o3 + i + 1]);
                DoubleVector s20 = DoubleVector.broadcast(D, w0 * ys[o0 + i + 2]);
                DoubleVector s21 = DoubleVector.broadcast(D, w1 * ys[o1 + i + 2]);
                DoubleVector s22 = DoubleVector.broadcast(D, w2 * ys[o2 + i + 2]);
                DoubleVector s23 = DoubleVector.broadcast(D, w3 * ys[o3 + i + 2]);
                DoubleVector s30 = DoubleVector.broadcast(D, w0 * ys[o0 + i + 3]);
                DoubleVector s31 = DoubleVector.broadcast(D, w1 * ys[o1 + i + 3]);
                DoubleVector s32 = DoubleVector.broadcast(D, w2 * ys[o2 + i + 3]);
                DoubleVector s33 = DoubleVector.broadcast(D, w3 * ys[o3 + i + 3]);
                int r0 = i * d;
                int r1 = r0 + d;
                int r2 = r1 + d;
                int r3 = r2 + d;
                // columns 0..i+3 for all four rows (entries above a row's diagonal may be updated), whole vectors inside the row
                int last = i + 3;
                int k = 0;
                for (int end = Math.min(last + DL, d) - DL; k <= end; k += DL) {
                    DoubleVector y0 = DoubleVector.fromArray(D, ys, o0 + k);
                    DoubleVector y1 = DoubleVector.fromArray(D, ys, o1 + k);
                    DoubleVector y2 = DoubleVector.fromArray(D, ys, o2 + k);
                    DoubleVector y3 = DoubleVector.fromArray(D, ys, o3 + k);
                    y0.fma(s00, DoubleVector.fromArray(D, a, r0 + k)).add(y1.fma(s01, y2.fma(s02, y3.mul(s03)))).intoArray(a, r0 + k);
                    y0.fma(s10, DoubleVector.fromArray(D, a, r1 + k)).add(y1.fma(s11, y2.fma(s12, y3.mul(s13)))).intoArray(a, r1 + k);
                    y0.fma(s20, DoubleVector.fromArray(D, a, r2 + k)).add(y1.fma(s21, y2.fma(s22, y3.mul(s23)))).intoArray(a, r2 + k);
                    y0.fma(s30, DoubleVector.fromArray(D, a, r3 + k)).add(y1.fma(s31, y2.fma(s32, y3.mul(s33)))).intoArray(a, r3 + k);
                }
                for (; k <= last; k++) {
                    double y0 = ys[o0 + k];
                    double y1 = ys[o1 + k];
                    double y2 = ys[o2 + k];
                    double y3 = ys[o3 + k];
                    a[r0 + k] += (s00.lane(0) * y0 + s01.lane(0) * y1) + (s02.lane(0) * y2 + s03.lane(0) * y3);
                    a[r1 + k] += (s10.lane(0) * y0 + s11.lane(0) * y1) + (s12.lane(0) * y2 + s13.lane(0) * y3);
                    a[r2 + k] += (s20.lane(0) * y0 + s21.lane(0) * y1) + (s22.lane(0) * y2 + s23.lane(0) * y3);
                    a[r3 + k] += (s30.lane(0) * y0 + s31.lane(0) * y1) + (s32.lane(0) * y2 + s33.lane(0) * y3);
                }
            }
            if (i < d) {
                ScalarKernels.rankFourRows(a, d, ys, w, q, i);
            }
        }
        for (; q < m; q++) {
            ScalarKernels.rankOne(a, d, ys, w[q], q * d);
        }
    }

    @Override
    void dot4(double[] a, int row, int r0, int r1, int r2, int r3, int n, double[] out) {
        DoubleVector s0 = DoubleVector.zero(D);
        DoubleVector s1 = DoubleVector.zero(D);
        DoubleVector s2 = DoubleVector.zero(D);
        DoubleVector s3 = DoubleVector.zero(D);
        int k = 0;
        for (int end = n - DL; k <= end; k += DL) {
            DoubleVector v = DoubleVector.fromArray(D, a, row + k);
            s0 = v.fma(DoubleVector.fromArray(D, a, r0 + k), s0);
            s1 = v.fma(DoubleVector.fromArray(D, a, r1 + k), s1);
            s2 = v.fma(DoubleVector.fromArray(D, a, r2 + k), s2);
            s3 = v.fma(DoubleVector.fromArray(D, a, r3 + k), s3);
        }
        double t0 = sum(s0);
        double t1 = sum(s1);
        double t2 = sum(s2);
        double t3 = sum(s3);
        for (; k < n; k++) {
            double v = a[row + k];
            t0 += v * a[r0 + k];
            t1 += v * a[r1 + k];
            t2 += v * a[r2 + k];
            t3 += v * a[r3 + k];
        }
        out[0] = t0;
        out[1] = t1;
        out[2] = t2;
        out[3] = t3;
    }

    /** {@code y[yOff..yOff+n) += s * x[xOff..xOff+n)} in double. */
    private static void axpy(double s, double[] x, int xOff, double[] y, int yOff, int n) {
        DoubleVector sv = DoubleVector.broadcast(D, s);
        int i = 0;
        for (int end = n - DL; i <= end; i += DL) {
            DoubleVector.fromArray(D, x, xOff + i).fma(sv, DoubleVector.fromArray(D, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += s * x[xOff + i];
        }
    }
}
