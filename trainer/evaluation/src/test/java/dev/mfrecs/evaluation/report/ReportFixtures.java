package dev.mfrecs.evaluation.report;

import dev.mfrecs.evaluation.Interactions;
import dev.mfrecs.trainer.data.IdDictionary;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Small seeded synthetic inputs for the report test: clustered implicit data and ratings on the same pairs. */
final class ReportFixtures {

    private ReportFixtures() {}

    /**
     * Users and items in {@code clusters} groups; each user picks {@code perUser} distinct items (every tenth user only 3, so there
     * are casual and new personas), 85% from their own group.
     */
    static Interactions lowRank(int users, int items, int clusters, int perUser, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        IdDictionary userIds = new IdDictionary();
        IdDictionary itemIds = new IdDictionary();
        for (int i = 0; i < items; i++) {
            itemIds.add("i" + i);
        }
        int n = users * perUser;
        int[] u = new int[n];
        int[] it = new int[n];
        float[] v = new float[n];
        long[] t = new long[n];
        int per = items / clusters;
        int p = 0;
        for (int user = 0; user < users; user++) {
            userIds.add("u" + user);
            boolean[] taken = new boolean[items];
            int picks = user % 10 == 0 ? 3 : perUser;
            for (int k = 0; k < picks; k++) {
                int i;
                do {
                    i = random.nextDouble() < 0.85 ? (user % clusters) * per + random.nextInt(per) : random.nextInt(items);
                } while (taken[i]);
                taken[i] = true;
                u[p] = user;
                it[p] = i;
                v[p] = 1 + random.nextInt(3);
                t[p] = p;
                p++;
            }
        }
        return new Interactions(userIds, itemIds, Arrays.copyOf(u, p), Arrays.copyOf(it, p), Arrays.copyOf(v, p), Arrays.copyOf(t, p));
    }

    /** 1-5 ratings on the pairs of {@code data}: a per-item quality plus noise. */
    static Interactions ratings(Interactions data, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] quality = new double[data.itemCount()];
        for (int i = 0; i < quality.length; i++) {
            quality[i] = random.nextGaussian();
        }
        float[] r = new float[data.size()];
        for (int p = 0; p < r.length; p++) {
            r[p] = (float) Math.max(1, Math.min(5, Math.round(3 + quality[data.item()[p]] + 0.5 * random.nextGaussian())));
        }
        return new Interactions(data.users(), data.items(), data.user(), data.item(), r, null);
    }

    /** The taste cluster of an item id {@code i<n>} (100 items in 4 clusters). */
    static String clusterOf(String id) {
        return "cluster " + Integer.parseInt(id.substring(1)) / 25;
    }
}
