package dev.mfrecs.benchmarks;

import dev.mfrecs.factorization.CsrMatrix;

import java.util.SplittableRandom;

/**
 * Seeded synthetic inputs shared by the benchmarks, so every run measures the same work and results are comparable across
 * machines and commits: Gaussian factor matrices and a users x items interaction matrix with a long-tailed item popularity.
 */
final class BenchmarkData {

    private BenchmarkData() {}

    /** The shapes the training benchmarks know, for usage messages. */
    static final String SHAPES = "ml1m-pos|ml1m|ml20m";

    /**
     * The seeded users x items matrix of a named shape: {@code ml1m-pos} is sized like the positives (ratings >= 4) of
     * MovieLens-1M, the log of the 0.15 s target (6,038 users x 3,533 items, about 575k pairs); {@code ml1m} like all of
     * MovieLens-1M (6,040 x 3,706, about 1M requested, 974,917 stored); {@code ml20m} like MovieLens-20M (138,493 x 26,744, 10M
     * requested, 9,994,650 stored). All from {@link #powerLaw} with seed 42.
     */
    static CsrMatrix shape(String name) {
        return switch (name) {
            case "ml1m-pos" -> powerLaw(6_038, 3_533, 575_281, 42);
            case "ml1m" -> powerLaw(6_040, 3_706, 1_000_209, 42);
            case "ml20m" -> powerLaw(138_493, 26_744, 10_000_000, 42);
            default -> throw new IllegalArgumentException("unknown shape [" + name + "], expected one of " + SHAPES);
        };
    }

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

    /**
     * About {@code nnz} distinct interactions (values 1 to 5) with MovieLens-like skew: user {@code u}'s activity is proportional to
     * {@code (rank + 1)^-0.5} (at least 20, as MovieLens guarantees, at most a third of the items), and each user's items are drawn
     * without repetition with popularity proportional to {@code (rank + 1)^-0.7}; user and item ids are shuffled so heavy rows
     * are spread over the id range, as in real data.
     */
    static CsrMatrix powerLaw(int users, int items, int nnz, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] weight = new double[users];
        double total = 0;
        for (int u = 0; u < users; u++) {
            weight[u] = Math.pow(u + 1, -0.5);
            total += weight[u];
        }
        int[] userIds = permutation(random, users);
        int[] itemIds = permutation(random, items);
        int max = Math.max(20, items / 3);
        int[] lengths = new int[users];
        long sum = 0;
        for (int u = 0; u < users; u++) {
            lengths[u] = (int) Math.max(20, Math.min(max, Math.round(nnz * weight[u] / total)));
            sum += lengths[u];
        }
        int[] rows = new int[(int) sum];
        int[] cols = new int[(int) sum];
        float[] values = new float[(int) sum];
        int[] stamp = new int[items];
        double top = Math.pow(items + 1, 0.3) - 1;
        int p = 0;
        for (int u = 0; u < users; u++) {
            int want = lengths[u];
            for (int got = 0, attempts = 0; got < want && attempts < 50 * want; attempts++) {
                int rank = (int) Math.pow(top * random.nextDouble() + 1, 1 / 0.3) - 1;
                int item = itemIds[Math.min(items - 1, rank)];
                if (stamp[item] == u + 1) {
                    continue;
                }
                stamp[item] = u + 1;
                rows[p] = userIds[u];
                cols[p] = item;
                values[p] = 1 + random.nextInt(5);
                p++;
                got++;
            }
        }
        return CsrMatrix.fromTriplets(users, items, rows, cols, values, p);
    }

    private static int[] permutation(SplittableRandom random, int n) {
        int[] out = new int[n];
        for (int j = 0; j < n; j++) {
            out[j] = j;
        }
        for (int j = n - 1; j > 0; j--) {
            int k = random.nextInt(j + 1);
            int t = out[j];
            out[j] = out[k];
            out[k] = t;
        }
        return out;
    }
}
