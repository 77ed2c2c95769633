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

    /**
     * Dot product of a float vector with a double vector, with four independent accumulators (combined as {@code (s0 + s1) +
     * (s2 + s3)}) so the additions pipeline instead of waiting on each other: the reduction of the implicit-ALS row kernels.
     */
    static double dot4(float[] a, int aOff, double[] b, int d) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (int end = d - 3; j < end; j += 4) {
            s0 += a[aOff + j] * b[j];
            s1 += a[aOff + j + 1] * b[j + 1];
            s2 += a[aOff + j + 2] * b[j + 2];
            s3 += a[aOff + j + 3] * b[j + 3];
        }
        for (; j < d; j++) {
            s0 += a[aOff + j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** As {@link #dot4(float[], int, double[], int)} for two double vectors of length {@code d}. */
    static double dot4(double[] a, double[] b, int d) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (int end = d - 3; j < end; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < d; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
