package dev.mfrecs.factorization;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DenseKernels} on the Vector API ({@code jdk.incubator.vector}): the widest float lanes the CPU has (16 with AVX-512, 8 with
 * AVX2) and fused multiply-add. Only loaded, reflectively, by {@link DenseKernels} when the module is present, so nothing else
 * links against the incubator API. Tails shorter than a vector run as scalar loops.
 */
final class SimdKernels extends DenseKernels {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = D.length();

    @Override
    String name() {
        return "simd (" + S.vectorBitSize() + "-bit, " + L + " floats)";
    }

    @Override
    float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = FloatVector.zero(S);
        int j = 0;
        for (int end = n - 2 * L; j <= end; j += 2 * L) {
            s0 = FloatVector.fromArray(S, a, aOff + j).fma(FloatVector.fromArray(S, b, bOff + j), s0);
            s1 = FloatVector.fromArray(S, a, aOff + j + L).fma(FloatVector.fromArray(S, b, bOff + j + L), s1);
        }
        if (j <= n - L) {
            s0 = FloatVector.fromArray(S, a, aOff + j).fma(FloatVector.fromArray(S, b, bOff + j), s0);
            j += L;
        }
        float s = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; j < n; j++) {
            s += a[aOff + j] * b[bOff + j];
        }
        return s;
    }

    @Override
    void axpy(float s, float[] x, int xOff, float[] y, int yOff, int n) {
        FloatVector sv = FloatVector.broadcast(S, s);
        int i = 0;
        for (int end = n - L; i <= end; i += L) {
            FloatVector.fromArray(S, x, xOff + i).fma(sv, FloatVector.fromArray(S, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] += s * x[xOff + i];
        }
    }

    @Override
    void symmetricMultiply(float[] g, int d, float scale, float diagonal, float[] v, float[] out) {
        java.util.Arrays.fill(out, 0, d, 0f);
        int vectorEnd = d - d % L;
        int k = 0;
        for (; k + 3 < d; k += 4) {
            FloatVector v0 = FloatVector.broadcast(S, v[k]);
            FloatVector v1 = FloatVector.broadcast(S, v[k + 1]);
            FloatVector v2 = FloatVector.broadcast(S, v[k + 2]);
            FloatVector v3 = FloatVector.broadcast(S, v[k + 3]);
            int b0 = k * d;
            int b1 = b0 + d;
            int b2 = b1 + d;
            int b3 = b2 + d;
            int i = 0;
            for (; i < vectorEnd; i += L) {
                FloatVector o = FloatVector.fromArray(S, out, i);
                o = FloatVector.fromArray(S, g, b0 + i).fma(v0, o);
                o = FloatVector.fromArray(S, g, b1 + i).fma(v1, o);
                o = FloatVector.fromArray(S, g, b2 + i).fma(v2, o);
                o = FloatVector.fromArray(S, g, b3 + i).fma(v3, o);
                o.intoArray(out, i);
            }
            for (; i < d; i++) {
                out[i] += (v[k] * g[b0 + i] + v[k + 1] * g[b1 + i]) + (v[k + 2] * g[b2 + i] + v[k + 3] * g[b3 + i]);
            }
        }
        for (; k < d; k++) {
            axpy(v[k], g, k * d, out, 0, d);
        }
        FloatVector sc = FloatVector.broadcast(S, scale);
        FloatVector dg = FloatVector.broadcast(S, diagonal);
        int i = 0;
        for (; i < vectorEnd; i += L) {
            FloatVector.fromArray(S, v, i).mul(dg).add(FloatVector.fromArray(S, out, i).mul(sc)).intoArray(out, i);
        }
        for (; i < d; i++) {
            out[i] = scale * out[i] + diagonal * v[i];
        }
    }

    @Override
    void sparseUpdate(float[] y, int[] offsets, float[] add, float[] mul, int m, float[] v, float[] out, int d) {
        int vectorEnd = d - d % L;
        int q = 0;
        for (; q + 3 < m; q += 4) {
            // four entries per pass: each slice of v is loaded once for four dot products and out once for four updates
            int o0 = offsets[q];
            int o1 = offsets[q + 1];
            int o2 = offsets[q + 2];
            int o3 = offsets[q + 3];
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = FloatVector.zero(S);
            FloatVector s2 = FloatVector.zero(S);
            FloatVector s3 = FloatVector.zero(S);
            int j = 0;
            for (; j < vectorEnd; j += L) {
                FloatVector vj = FloatVector.fromArray(S, v, j);
                s0 = FloatVector.fromArray(S, y, o0 + j).fma(vj, s0);
                s1 = FloatVector.fromArray(S, y, o1 + j).fma(vj, s1);
                s2 = FloatVector.fromArray(S, y, o2 + j).fma(vj, s2);
                s3 = FloatVector.fromArray(S, y, o3 + j).fma(vj, s3);
            }
            float d0 = s0.reduceLanes(VectorOperators.ADD);
            float d1 = s1.reduceLanes(VectorOperators.ADD);
            float d2 = s2.reduceLanes(VectorOperators.ADD);
            float d3 = s3.reduceLanes(VectorOperators.ADD);
            for (; j < d; j++) {
                float vj = v[j];
                d0 += y[o0 + j] * vj;
                d1 += y[o1 + j] * vj;
                d2 += y[o2 + j] * vj;
                d3 += y[o3 + j] * vj;
            }
            float t0 = add[q] + mul[q] * d0;
            float t1 = add[q + 1] + mul[q + 1] * d1;
            float t2 = add[q + 2] + mul[q + 2] * d2;
            float t3 = add[q + 3] + mul[q + 3] * d3;
            FloatVector t0v = FloatVector.broadcast(S, t0);
            FloatVector t1v = FloatVector.broadcast(S, t1);
            FloatVector t2v = FloatVector.broadcast(S, t2);
            FloatVector t3v = FloatVector.broadcast(S, t3);
            int i = 0;
            for (; i < vectorEnd; i += L) {
                FloatVector o = FloatVector.fromArray(S, out, i);
                o = FloatVector.fromArray(S, y, o0 + i).fma(t0v, o);
                o = FloatVector.fromArray(S, y, o1 + i).fma(t1v, o);
                o = FloatVector.fromArray(S, y, o2 + i).fma(t2v, o);
                o = FloatVector.fromArray(S, y, o3 + i).fma(t3v, o);
                o.intoArray(out, i);
            }
            for (; i < d; i++) {
                out[i] += (t0 * y[o0 + i] + t1 * y[o1 + i]) + (t2 * y[o2 + i] + t3 * y[o3 + i]);
            }
        }
        for (; q < m; q++) {
            int off = offsets[q];
            axpy(add[q] + mul[q] * dot(y, off, v, 0, d), y, off, out, 0, d);
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
                FloatVector y0 = FloatVector.broadcast(S, factors[o0 + a]);
                FloatVector y1 = FloatVector.broadcast(S, factors[o1 + a]);
                FloatVector y2 = FloatVector.broadcast(S, factors[o2 + a]);
                FloatVector y3 = FloatVector.broadcast(S, factors[o3 + a]);
                int base = a * d;
                // the upper triangle from a, started at the vector boundary below it (a few entries below the diagonal are
                // updated too, which the contract allows)
                int b = a - a % L;
                for (; b < vectorEnd; b += L) {
                    FloatVector s = FloatVector.fromArray(S, acc, base + b);
                    s = FloatVector.fromArray(S, factors, o0 + b).fma(y0, s);
                    s = FloatVector.fromArray(S, factors, o1 + b).fma(y1, s);
                    s = FloatVector.fromArray(S, factors, o2 + b).fma(y2, s);
                    s = FloatVector.fromArray(S, factors, o3 + b).fma(y3, s);
                    s.intoArray(acc, base + b);
                }
                float f0 = factors[o0 + a];
                float f1 = factors[o1 + a];
                float f2 = factors[o2 + a];
                float f3 = factors[o3 + a];
                for (b = Math.max(b, a); b < d; b++) {
                    acc[base + b] += (f0 * factors[o0 + b] + f1 * factors[o1 + b]) + (f2 * factors[o2 + b] + f3 * factors[o3 + b]);
                }
            }
        }
        for (; row < to; row++) {
            int off = row * d;
            for (int a = 0; a < d; a++) {
                axpy(factors[off + a], factors, off + a, acc, a * d + a, d - a);
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
        double s = s0.add(s1).reduceLanes(VectorOperators.ADD);
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
        double t0 = s0.reduceLanes(VectorOperators.ADD);
        double t1 = s1.reduceLanes(VectorOperators.ADD);
        double t2 = s2.reduceLanes(VectorOperators.ADD);
        double t3 = s3.reduceLanes(VectorOperators.ADD);
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
