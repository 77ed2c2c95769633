package dev.mfrecs.evaluation;

import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.trainer.data.InteractionMatrix;

import java.util.SplittableRandom;

/**
 * Seeded synthetic data with a known low-rank structure for the protocol tests: users and items belong to {@code clusters} taste
 * groups; each user picks {@code perUser} distinct items, 85% from their own group and the rest from a popularity-skewed global
 * draw, with increasing timestamps. Explicit ratings come from a rank-1-plus-bias ground truth with noise.
 */
final class SyntheticInteractions {

    private SyntheticInteractions() {}

    static Interactions lowRank(int users, int items, int clusters, int perUser, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        InteractionMatrix.Accumulator b = new InteractionMatrix.Accumulator(DuplicatePolicy.SUM, true);
        int perCluster = items / clusters;
        long time = 1_000_000L;
        for (int u = 0; u < users; u++) {
            int c = u % clusters;
            boolean[] taken = new boolean[items];
            for (int n = 0; n < perUser; n++) {
                int i;
                do {
                    if (random.nextDouble() < 0.85) {
                        i = c * perCluster + random.nextInt(perCluster);
                    } else {
                        i = (int) (items * Math.pow(random.nextDouble(), 3)); // skewed to low ids: popular items
                    }
                } while (taken[i]);
                taken[i] = true;
                b.add("u" + u, "i" + i, 1f + random.nextInt(3), time++);
            }
        }
        return Interactions.of(b.build(1, 1));
    }

    /** Ratings 1..5 from {@code 3 + b_i + a_u * q_i} plus noise, {@code perUser} random items per user, no timestamps. */
    static Interactions ratings(int users, int items, int perUser, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] bias = new double[items];
        double[] q = new double[items];
        for (int i = 0; i < items; i++) {
            bias[i] = random.nextGaussian() * 0.8;
            q[i] = random.nextGaussian();
        }
        InteractionMatrix.Accumulator b = new InteractionMatrix.Accumulator(DuplicatePolicy.SUM, false);
        for (int u = 0; u < users; u++) {
            double a = random.nextGaussian() * 0.8;
            boolean[] taken = new boolean[items];
            for (int n = 0; n < perUser; n++) {
                int i;
                do {
                    i = random.nextInt(items);
                } while (taken[i]);
                taken[i] = true;
                double r = 3 + bias[i] + a * q[i] + random.nextGaussian() * 0.3;
                b.add("u" + u, "i" + i, (float) Math.max(1, Math.min(5, Math.round(r))));
            }
        }
        return Interactions.of(b.build(1, 1));
    }
}
