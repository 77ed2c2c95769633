package dev.mfrecs.factorization;

/**
 * Tiny dense-vector kernels on offsets into flat arrays, shared by the trainers and the top-k scorer so the hot loops are written
 * (and accumulate in double) the same way everywhere.
 */
final class Vectors {

    private Vectors() {}

    /** Dot product of {@code a[aOff..aOff+d)} and {@code b[bOff..bOff+d)}, accumulated in double. */
    static float dot(float[] a, int aOff, float[] b, int bOff, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += (double) a[aOff + j] * b[bOff + j];
        }
        return (float) s;
    }

    static double dotDouble(float[] a, int aOff, float[] b, int bOff, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += (double) a[aOff + j] * b[bOff + j];
        }
        return s;
    }

    /** Dot product of a float vector with a double vector. */
    static double dot(float[] a, int aOff, double[] b, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += a[aOff + j] * b[j];
        }
        return s;
    }

    static double squaredNorm(float[] a, int off, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += (double) a[off + j] * a[off + j];
        }
        return s;
    }

    static double squaredNorm(float[] a) {
        return squaredNorm(a, 0, a.length);
    }
}
