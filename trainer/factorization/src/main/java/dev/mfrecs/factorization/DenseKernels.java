package dev.mfrecs.factorization;

import java.util.Optional;

/**
 * The dense kernels of the implicit-ALS hot loops, in one place so they can run on explicit SIMD where the JVM offers it and on
 * plain loops everywhere else: in float, the conjugate-gradient row solves and the Gram matrix; in double, the exact solve's
 * assembly (a weighted rank update of the row system) and the inner products of its Cholesky factorization.
 * <p>
 * Two implementations: {@link SimdKernels} on {@code jdk.incubator.vector} (AVX2 / AVX-512 lanes, fused multiply-add), chosen when
 * that module is in the boot layer (the launcher and the benchmarks start the JVM with {@code --add-modules jdk.incubator.vector});
 * {@link ScalarKernels} otherwise, e.g. inside an Elasticsearch plugin, which must not require JVM flags. The choice is made once
 * per JVM ({@link #get()}); {@code -Dmfrecs.kernels=scalar} forces the plain loops (for comparisons). Both compute the same sums
 * in a different order, so results agree to float rounding, not bit for bit.
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
            return (DenseKernels) Class.forName("dev.mfrecs.factorization.SimdKernels").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return new ScalarKernels();
        }
    }

    abstract String name();

    /** {@code a[aOff..aOff+n) . b[bOff..bOff+n)}. */
    abstract float dot(float[] a, int aOff, float[] b, int bOff, int n);

    /** {@code y[yOff..yOff+n) += s * x[xOff..xOff+n)}. */
    abstract void axpy(float s, float[] x, int xOff, float[] y, int yOff, int n);

    /**
     * {@code out = scale * G v + diagonal * v} for the symmetric row-major {@code d x d} matrix {@code G}, computed as updates by rows
     * of {@code G} (no reductions).
     */
    abstract void symmetricMultiply(float[] g, int d, float scale, float diagonal, float[] v, float[] out);

    /**
     * {@code out += sum_q t_q y_q} with {@code t_q = add[q] + mul[q] * (y_q . v)} over {@code q < m}, where {@code y_q} is
     * {@code y[offsets[q]..offsets[q]+d)}: the sparse part of an implicit-ALS row system applied to {@code v} ({@code add} all zero,
     * {@code mul = c - alpha0}), or fused with its right-hand side ({@code add = c}, {@code mul = alpha0 - c}).
     */
    abstract void sparseUpdate(float[] y, int[] offsets, float[] add, float[] mul, int m, float[] v, float[] out, int d);

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
     * touched.
     */
    abstract void gramUpdate(float[] factors, int from, int to, int d, float[] acc);
}
