package dev.mfrecs.factorization;

import java.util.Optional;

/**
 * The dense kernels of the implicit-ALS hot loops, in one place so they can run on explicit SIMD where the JVM offers it and on
 * plain loops everywhere else: in float, the conjugate-gradient row solves and the Gram matrix; in double, the exact solve's
 * assembly (a weighted rank update of the row system) and the inner products of its Cholesky factorization.
 * <p>
 * Two implementations: {@link SimdKernels} on {@code jdk.incubator.vector} (AVX2 / AVX-512 lanes, fused multiply-add), chosen
 * when that module is in the boot layer (the launcher and the benchmarks start the JVM with
 * {@code --add-modules jdk.incubator.vector}); {@link ScalarKernels} otherwise, e.g. inside an Elasticsearch plugin, which must not
 * require JVM flags. The choice is made once per JVM ({@link #get()}); {@code -Dmfrecs.kernels=scalar} forces the plain loops.
 * Both are deterministic: the same inputs give the same bits whether a kernel runs interpreted or compiled by C1 or C2 (the SIMD
 * kernels use no {@code reduceLanes}, whose order of additions differs between the interpreter and C2), so training results do
 * not depend on when the JIT compiled what, nor on the thread count. {@link KernelWarmup} gets the SIMD kernels compiled before
 * training needs them.
 * <p>
 * <b>The conjugate-gradient kernels</b> work on row vectors padded to {@link #paddedDimension} floats (a multiple of
 * {@link #lanes()}; the padding lanes hold zeros and stay zero), so no loop has a scalar tail. Their arithmetic is fixed lane by
 * lane: the inner product of an entry's vector with {@code v} ({@code c * lanes()} floats) multiplies chunk 0 and chunk 1 (two
 * accumulators), adds chunks 2, 4, ... into the first and 3, 5, ... into the second with fused multiply-adds, adds the two
 * accumulators and sums the lanes by the pairwise tree {@code s[l] += s[l + w]} for {@code w = lanes/2, ..., 1}; every update
 * {@code y += s x} is a fused multiply-add per lane, applied entry after entry in order (the tests hold {@link SimdKernels} to a
 * plain-Java transcription of exactly this, bit for bit). {@link ScalarKernels} computes the same sums in another order. The
 * per-row steps of conjugate gradient ({@link #cgStep}) are plain Java shared by all implementations.
 * <p>
 * All methods work on offsets into flat row-major arrays and allocate nothing.
 */
abstract class DenseKernels {

    /** System property that forces the plain-Java kernels when set to {@code scalar}. */
    static final String PROPERTY = "mfrecs.kernels";

    private static final DenseKernels INSTANCE = load();

    /** The kernels this JVM uses. */
    static DenseKernels get() {
        return INSTANCE;
    }

    /** A short description of the kernels in use, e.g. {@code simd (512-bit, 16 floats)} or {@code scalar}, for logs. */
    public static String describe() {
        return INSTANCE.name();
    }

    /**
     * The padded length of a {@code d}-vector in the conjugate-gradient kernels: {@code d} rounded up to a multiple of
     * {@link #lanes()} and of 4 (the blocks of {@code YtY} rows in {@link #symmetricMultiply}).
     */
    static int paddedDimension(int d) {
        int unit = Math.max(4, INSTANCE.lanes());
        return (d + unit - 1) / unit * unit;
    }

    private static DenseKernels load() {
        if ("scalar".equals(System.getProperty(PROPERTY))) {
            return new ScalarKernels();
        }
        Optional<Module> vector = ModuleLayer.boot().findModule("jdk.incubator.vector");
        if (vector.isEmpty()) {
            return new ScalarKernels();
        }
        try {
            // loaded reflectively: this class must not link against the incubator module when it is absent
            String simd = DenseKernels.class.getPackageName() + ".SimdKernels";
            return (DenseKernels) Class.forName(simd).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return new ScalarKernels();
        }
    }

    abstract String name();

    /** The float lanes of one vector: conjugate-gradient vectors are padded to a multiple of this (1 for the plain loops). */
    abstract int lanes();

    /** {@code p[off..off+dp) = r[off..off+dp)}; returns {@code r . r}: the start of conjugate gradient. */
    final float cgStart(float[] r, float[] p, int off, int dp) {
        System.arraycopy(r, off, p, off, dp);
        return dot(r, r, off, dp);
    }

    /**
     * One conjugate-gradient update after {@code ap = A p} (vectors at {@code off}, {@code rsOld = r . r}): with
     * {@code pAp = p . ap}, returns NaN (changing nothing) unless {@code pAp > 0}; else {@code alpha = rsOld / pAp},
     * {@code x += alpha p}, {@code r -= alpha ap}, {@code beta = (r . r) / rsOld}, {@code p = r + beta p}, and returns the new
     * {@code r . r}.
     * <p>
     * Plain Java, the same for every implementation: a few hundred operations per row and step, next to the tens of thousands of
     * {@link #symmetricMultiply} and {@link #sparsePass}, not worth a vector kernel (whose compilation alone took C2 half a
     * second).
     */
    final float cgStep(float[] x, float[] r, float[] p, float[] ap, int off, int dp, float rsOld) {
        float pAp = dot(p, ap, off, dp);
        if ((pAp > 0) == false) {
            return Float.NaN;
        }
        float alpha = rsOld / pAp;
        for (int i = off; i < off + dp; i++) {
            x[i] = Math.fma(p[i], alpha, x[i]);
            r[i] = Math.fma(ap[i], -alpha, r[i]);
        }
        float rsNew = dot(r, r, off, dp);
        float beta = rsNew / rsOld;
        for (int i = off; i < off + dp; i++) {
            p[i] = Math.fma(p[i], beta, r[i]);
        }
        return rsNew;
    }

    /**
     * {@code a[off..off+n) . b[off..off+n)} in eight interleaved fused multiply-add chains (element {@code i} into chain
     * {@code i % 8}), added pairwise: the inner products of {@link #cgStep}.
     */
    static float dot(float[] a, float[] b, int off, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        float s4 = 0;
        float s5 = 0;
        float s6 = 0;
        float s7 = 0;
        int i = off;
        int end = off + n;
        for (; i + 7 < end; i += 8) {
            s0 = Math.fma(a[i], b[i], s0);
            s1 = Math.fma(a[i + 1], b[i + 1], s1);
            s2 = Math.fma(a[i + 2], b[i + 2], s2);
            s3 = Math.fma(a[i + 3], b[i + 3], s3);
            s4 = Math.fma(a[i + 4], b[i + 4], s4);
            s5 = Math.fma(a[i + 5], b[i + 5], s5);
            s6 = Math.fma(a[i + 6], b[i + 6], s6);
            s7 = Math.fma(a[i + 7], b[i + 7], s7);
        }
        for (int k = 0; i < end; i++, k++) {
            switch (k) {
                case 0 -> s0 = Math.fma(a[i], b[i], s0);
                case 1 -> s1 = Math.fma(a[i], b[i], s1);
                case 2 -> s2 = Math.fma(a[i], b[i], s2);
                case 3 -> s3 = Math.fma(a[i], b[i], s3);
                case 4 -> s4 = Math.fma(a[i], b[i], s4);
                case 5 -> s5 = Math.fma(a[i], b[i], s5);
                default -> s6 = Math.fma(a[i], b[i], s6);
            }
        }
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /**
     * For each of the rows {@code rows[0..n)}: {@code out_r = scale * G v_r + diag[r] * v_r}, where row {@code r} of {@code v} and
     * {@code out} starts at {@code r * dp} and {@code G} is symmetric with row stride {@code dp}, of which rows {@code [0, kEnd)}
     * are read ({@code kEnd} a multiple of 4, rows and columns beyond {@code d} zero). Several rows per pass, so each loaded part
     * of {@code G} serves several rows; each row's result is the same as if it were computed alone: per lane,
     * {@code o = fma(G[k][i], v[k], o)} for {@code k = 0, 1, ...} from {@code o = 0}, then {@code o * scale + v[i] * diag}.
     */
    abstract void symmetricMultiply(float[] g, int dp, int kEnd, float scale, float[] diag, float[] v, float[] out, int[] rows, int n);

    /**
     * {@code out += sum_q t_q y_q} over the {@code m} entries {@code q}, in order, with {@code t_q = add[wOff+q] + mul[wOff+q] (y_q . v)},
     * where {@code y_q} is {@code y[yOff + q dp .. + dp)} and {@code v}, {@code out} start at {@code vOff}, {@code outOff}: the
     * sparse part of an implicit-ALS row system applied to {@code v} ({@code add} all zero, {@code mul = c - alpha0}), or fused with
     * its right-hand side ({@code add = c}, {@code mul = alpha0 - c}). {@code dp} is a multiple of {@link #lanes()}.
     */
    abstract void sparsePass(float[] y, int yOff, int m, float[] add, float[] mul, int wOff, float[] v, int vOff, float[] out, int outOff,
                             int dp);

    /**
     * Copies the {@code d}-vectors {@code src[offsets[from + q] ..+ d)}, {@code q < n}, to {@code dst[dstOff + q dp ..)}, zeroing
     * each one's padding {@code [d, dp)}: packs a row's entry vectors for {@link #sparsePass}.
     */
    abstract void gather(float[] src, int[] offsets, int from, int n, int d, float[] dst, int dstOff, int dp);

    /** {@code a[aOff..aOff+n) . b[bOff..bOff+n)} in double. */
    abstract double dot(double[] a, int aOff, double[] b, int bOff, int n);

    /**
     * The four inner products of {@code a[row..row+n)} with {@code a[r0..r0+n)}, ..., {@code a[r3..r3+n)}, into {@code out[0..4)}:
     * row {@code row} is read once for all four (the blocked Cholesky factorization).
     */
    abstract void dot4(double[] a, int row, int r0, int r1, int r2, int r3, int n, double[] out);

    /**
     * Adds {@code sum_q w[q] y_q y_q^T} over {@code q < m} to the lower triangle ({@code k <= i}) of the row-major {@code d x d}
     * matrix {@code a}, and {@code sum_q c[q] y_q} to {@code b[0..d)}, where {@code y_q} is {@code ys[q*d..q*d+d)}: one block of
     * the exact solve's assembly. Entries above the diagonal may be changed too (they are not read by {@link Cholesky#factor}).
     */
    abstract void lowerRankUpdate(double[] a, double[] b, int d, double[] ys, double[] w, double[] c, int m);

    /**
     * Adds {@code sum_r y_r^T y_r} over rows {@code [from, to)} of the row-major {@code factors} to {@code acc} (row-major
     * {@code d x d}); only the upper triangle ({@code b >= a}) is meant to be read afterwards, entries below it may or may not be
     * touched. {@link SimdKernels} adds, per entry and block of four rows, {@code fma(y1b, y1a, y0b y0a) + fma(y3b, y3a, y2b y2a)}
     * (then one fused multiply-add per remaining row).
     */
    abstract void gramUpdate(float[] factors, int from, int to, int d, float[] acc);
}
