package dev.mfrecs.evaluation;

import dev.mfrecs.factorization.CsrMatrix;

import it.unimi.dsi.fastutil.longs.Long2DoubleOpenHashMap;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a model recommends beyond whether it hits the held-out items, from each evaluated user's top-k list and the training
 * interactions only, so the figures are comparable across models (none uses a model's own vectors). Exists because two models with
 * the same NDCG can recommend very different lists: one the same blockbusters to everyone, one the long tail. With {@code n_i} the
 * number of training users of item {@code i}, {@code U} the number of training users and {@code L} a user's list (at most k items),
 * averaged over evaluated users:
 * <ul>
 *   <li>{@code novelty@k}: mean self-information {@code -log2(max(n_i, 1) / U)} of the items in {@code L} (Zhou et al. 2010), in
 *       bits; higher is less popular;</li>
 *   <li>{@code diversity@k}: intra-list diversity, the mean over pairs {@code i != j} of {@code L} of {@code 1 - cos(i, j)}, where
 *       {@code cos} is the cosine of the two items' binary training columns (users in common over the root of the product of their
 *       user counts; Ziegler et al. 2005 report the similarity, this is one minus it); higher is more diverse;</li>
 *   <li>{@code popularity-rank@k}: mean rank of {@code L}'s items by training popularity (1 = the most popular item; ties by item
 *       index); higher is less biased towards popular items;</li>
 *   <li>{@code categories@k} (when item attributes are given): mean number of distinct categories (e.g. genres, an item may have
 *       several) among {@code L}'s items.</li>
 * </ul>
 * Catalog coverage ({@code coverage@K}) is computed by {@link MetricsAccumulator} from the same lists.
 */
public final class BeyondAccuracy {

    /** The list length of the beyond-accuracy figures (the issue's and the literature's top-10). */
    public static final int K = 10;

    private final int[] count;
    private final int[] rank;
    private final int users;
    private final CsrMatrix columns;
    private final Long2DoubleOpenHashMap cosines = new Long2DoubleOpenHashMap();

    /** Statistics of the training matrix {@code train} (users x items). */
    public BeyondAccuracy(CsrMatrix train) {
        int items = train.cols();
        count = new int[items];
        int u = 0;
        for (int r = 0; r < train.rows(); r++) {
            u += train.indptr()[r + 1] > train.indptr()[r] ? 1 : 0;
        }
        users = Math.max(u, 1);
        for (int p = 0; p < train.nnz(); p++) {
            count[train.indices()[p]]++;
        }
        Integer[] order = new Integer[items];
        for (int i = 0; i < items; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> count[a] != count[b] ? Integer.compare(count[b], count[a]) : Integer.compare(a, b));
        rank = new int[items];
        for (int r = 0; r < items; r++) {
            rank[order[r]] = r + 1;
        }
        columns = train.transpose();
    }

    /**
     * The figures over {@code tops} (each user's list, best first; only the first {@link #K} entries count); {@code categories} (per
     * item, its category ids; may be null) adds {@code categories@k}.
     */
    public Map<String, Double> measure(int[][] tops, int[][] categories) {
        double novelty = 0;
        double diversity = 0;
        double popularityRank = 0;
        double categoryCount = 0;
        int lists = 0;
        int diverseLists = 0;
        for (int[] full : tops) {
            if (full == null || full.length == 0) {
                continue;
            }
            int n = Math.min(K, full.length);
            double nov = 0;
            double pop = 0;
            for (int j = 0; j < n; j++) {
                int i = full[j];
                nov -= Math.log(Math.max(count[i], 1) / (double) users) / Math.log(2);
                pop += rank[i];
            }
            novelty += nov / n;
            popularityRank += pop / n;
            if (n > 1) {
                double distance = 0;
                for (int a = 0; a < n; a++) {
                    for (int b = a + 1; b < n; b++) {
                        distance += 1 - cosine(full[a], full[b]);
                    }
                }
                diversity += distance / (n * (n - 1) / 2.0);
                diverseLists++;
            }
            if (categories != null) {
                categoryCount += distinctCategories(full, n, categories);
            }
            lists++;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        if (lists == 0) {
            return out;
        }
        out.put("novelty@" + K, novelty / lists);
        out.put("diversity@" + K, diverseLists == 0 ? 0 : diversity / diverseLists);
        out.put("popularity-rank@" + K, popularityRank / lists);
        if (categories != null) {
            out.put("categories@" + K, categoryCount / lists);
        }
        return out;
    }

    /** The cosine of two items' binary training columns (0 when either has no training user); cached per pair. */
    double cosine(int a, int b) {
        if (a == b) {
            return 1;
        }
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        if (count[lo] == 0 || count[hi] == 0) {
            return 0;
        }
        long key = ((long) lo << 32) | hi;
        if (cosines.containsKey(key)) {
            return cosines.get(key);
        }
        int[] ptr = columns.indptr();
        int[] idx = columns.indices();
        int p = ptr[lo];
        int q = ptr[hi];
        int pe = ptr[lo + 1];
        int qe = ptr[hi + 1];
        int common = 0;
        while (p < pe && q < qe) {
            int x = idx[p];
            int y = idx[q];
            if (x == y) {
                common++;
                p++;
                q++;
            } else if (x < y) {
                p++;
            } else {
                q++;
            }
        }
        double c = common / Math.sqrt((double) count[lo] * count[hi]);
        cosines.put(key, c);
        return c;
    }

    private static int distinctCategories(int[] list, int n, int[][] categories) {
        int[] seen = new int[16];
        int distinct = 0;
        for (int j = 0; j < n; j++) {
            int[] cs = categories[list[j]];
            if (cs == null) {
                continue;
            }
            for (int c : cs) {
                boolean found = false;
                for (int s = 0; s < distinct; s++) {
                    if (seen[s] == c) {
                        found = true;
                        break;
                    }
                }
                if (found == false) {
                    if (distinct == seen.length) {
                        seen = Arrays.copyOf(seen, distinct * 2);
                    }
                    seen[distinct++] = c;
                }
            }
        }
        return distinct;
    }
}
