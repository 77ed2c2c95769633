package dev.mfrecs.factorization;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded synthetic matrices with known low-rank structure, shared by the trainer tests. */
final class SyntheticData {

    private SyntheticData() {}

    /** An implicit train/test split: training interactions and, per user, the held-out positive items. */
    record ImplicitSplit(CsrMatrix train, int[][] heldOut) {

        /**
         * Mean recall@10 of {@code model}'s exact top-10 (training items excluded) over the users with held-out positives, next to
         * the recall a random ranking of the unseen items would get, and the number of users evaluated.
         */
        HeldOutRecall recallAt10(FactorModel model) {
            double recall = 0;
            double randomRecall = 0;
            int evaluated = 0;
            float[] user = new float[model.factors()];
            for (int u = 0; u < model.users(); u++) {
                int[] held = heldOut[u];
                if (held.length == 0) {
                    continue;
                }
                int from = train.indptr()[u];
                int to = train.indptr()[u + 1];
                System.arraycopy(model.userFactors(), u * model.factors(), user, 0, model.factors());
                int[] top = TopK.recommend(user, model.itemFactors(), model.items(), model.factors(), 10,
                    i -> Arrays.binarySearch(train.indices(), from, to, i) >= 0);
                int hits = 0;
                for (int i : top) {
                    for (int h : held) {
                        hits += h == i ? 1 : 0;
                    }
                }
                recall += (double) hits / held.length;
                randomRecall += 10.0 / (model.items() - (to - from));
                evaluated++;
            }
            return new HeldOutRecall(recall / evaluated, randomRecall / evaluated, evaluated);
        }
    }

    /** What {@link ImplicitSplit#recallAt10} measured. */
    record HeldOutRecall(double recall, double random, int evaluated) {}

    /**
     * {@code users x items} positives from a rank-{@code rank} Gaussian score matrix thresholded at its {@code 1 - density} quantile;
     * raw values in {1, 2, 3}; a fraction {@code holdout} of each user's positives (at least one, when the user has 5 or more) is held
     * out.
     */
    static ImplicitSplit implicitLowRank(int users, int items, int rank, double density, double holdout, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] u = gaussian(random, users * rank);
        double[] v = gaussian(random, items * rank);
        double[] scores = new double[users * items];
        for (int a = 0; a < users; a++) {
            for (int i = 0; i < items; i++) {
                double s = 0;
                for (int f = 0; f < rank; f++) {
                    s += u[a * rank + f] * v[i * rank + f];
                }
                scores[a * items + i] = s;
            }
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        double threshold = sorted[(int) ((1 - density) * sorted.length)];
        List<int[]> triplets = new ArrayList<>();
        int[][] heldOut = new int[users][];
        for (int a = 0; a < users; a++) {
            List<Integer> positives = new ArrayList<>();
            for (int i = 0; i < items; i++) {
                if (scores[a * items + i] > threshold) {
                    positives.add(i);
                }
            }
            for (int j = positives.size() - 1; j > 0; j--) {
                int k = random.nextInt(j + 1);
                Integer t = positives.get(j);
                positives.set(j, positives.get(k));
                positives.set(k, t);
            }
            int hold = positives.size() >= 5 ? Math.max(1, (int) Math.round(holdout * positives.size())) : 0;
            heldOut[a] = new int[hold];
            for (int j = 0; j < positives.size(); j++) {
                if (j < hold) {
                    heldOut[a][j] = positives.get(j);
                } else {
                    triplets.add(new int[] { a, positives.get(j), 1 + random.nextInt(3) });
                }
            }
        }
        int nnz = triplets.size();
        int[] rows = new int[nnz];
        int[] cols = new int[nnz];
        float[] vals = new float[nnz];
        for (int p = 0; p < nnz; p++) {
            rows[p] = triplets.get(p)[0];
            cols[p] = triplets.get(p)[1];
            vals[p] = triplets.get(p)[2];
        }
        return new ImplicitSplit(CsrMatrix.fromTriplets(users, items, rows, cols, vals, nnz), heldOut);
    }

    /** An explicit train/test split of ratings. */
    record RatingsSplit(CsrMatrix train, int[] testUsers, int[] testItems, float[] testRatings) {
        double testStdDev() {
            double mean = 0;
            for (float r : testRatings) {
                mean += r;
            }
            mean /= testRatings.length;
            double var = 0;
            for (float r : testRatings) {
                var += (r - mean) * (r - mean);
            }
            return Math.sqrt(var / testRatings.length);
        }
    }

    /**
     * Ratings {@code mu + b_u + b_i + p_u . q_i + noise} for a random {@code density} fraction of pairs; a fraction {@code test} of
     * them held out.
     */
    static RatingsSplit biasedRatings(int users, int items, int rank, double density, double test, double noise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double mu = 3.5;
        double[] bu = gaussian(random, users);
        double[] bi = gaussian(random, items);
        double[] p = gaussian(random, users * rank);
        double[] q = gaussian(random, items * rank);
        double factorScale = 0.8 / Math.sqrt(rank);
        List<float[]> train = new ArrayList<>();
        List<float[]> held = new ArrayList<>();
        for (int a = 0; a < users; a++) {
            for (int i = 0; i < items; i++) {
                if (random.nextDouble() >= density) {
                    continue;
                }
                double dot = 0;
                for (int f = 0; f < rank; f++) {
                    dot += p[a * rank + f] * q[i * rank + f];
                }
                double r = mu + 0.5 * bu[a] + 0.5 * bi[i] + factorScale * dot + noise * random.nextGaussian();
                float[] t = { a, i, (float) r };
                (random.nextDouble() < test ? held : train).add(t);
            }
        }
        int nnz = train.size();
        int[] rows = new int[nnz];
        int[] cols = new int[nnz];
        float[] vals = new float[nnz];
        for (int j = 0; j < nnz; j++) {
            rows[j] = (int) train.get(j)[0];
            cols[j] = (int) train.get(j)[1];
            vals[j] = train.get(j)[2];
        }
        int[] tu = new int[held.size()];
        int[] ti = new int[held.size()];
        float[] tr = new float[held.size()];
        for (int j = 0; j < held.size(); j++) {
            tu[j] = (int) held.get(j)[0];
            ti[j] = (int) held.get(j)[1];
            tr[j] = held.get(j)[2];
        }
        return new RatingsSplit(CsrMatrix.fromTriplets(users, items, rows, cols, vals, nnz), tu, ti, tr);
    }

    static double[] gaussian(SplittableRandom random, int n) {
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            out[j] = random.nextGaussian();
        }
        return out;
    }
}
