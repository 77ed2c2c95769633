package dev.mfrecs.benchmarks;

import dev.mfrecs.factorization.CsrMatrix;

import java.util.SplittableRandom;

/**
 * Seeded synthetic inputs shared by the benchmarks, so every run measures the same work and results are comparable across
 * machines and commits: Gaussian factor matrices and a users x items interaction matrix with a long-tailed item popularity.
 */
final class BenchmarkData {

    private BenchmarkData() {}

    /** {@code rows x d} Gaussian values of standard deviation {@code scale}, row-major. */
    static float[] gaussian(SplittableRandom random, int rows, int d, double scale) {
        float[] out = new float[rows * d];
        for (int k = 0; k < out.length; k++) {
            out[k] = (float) (random.nextGaussian() * scale);
        }
        return out;
    }

    /**
     * About {@code nnz} interactions (repeated pairs are summed, so slightly fewer are stored) of {@code users} users drawn
     * uniformly over {@code items} items drawn with a quadratic skew (item 0 most popular), values 1 to 5.
     */
    static CsrMatrix interactions(int users, int items, int nnz, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] rows = new int[nnz];
        int[] cols = new int[nnz];
        float[] values = new float[nnz];
        for (int p = 0; p < nnz; p++) {
            rows[p] = random.nextInt(users);
            double r = random.nextDouble();
            cols[p] = Math.min(items - 1, (int) (r * r * items));
            values[p] = 1 + random.nextInt(5);
        }
        return CsrMatrix.fromTriplets(users, items, rows, cols, values, nnz);
    }
}
