package dev.mfrecs.evaluation;

/**
 * Top-k ranking metrics of one user computed from the 1-based ranks of the user's relevant (held-out) items in the full ranking,
 * so one exact rank count per held-out item yields every metric at every cutoff without materializing the ranking. All gains are
 * binary. {@code ranks} must be sorted ascending; {@code n} is the number of relevant items (ranks may exceed every cutoff).
 * Definitions (k the cutoff, T the relevant set, r_t a relevant item's rank):
 * <ul>
 *   <li>NDCG@k = DCG@k / IDCG@k with DCG@k = sum_{r_t <= k} 1 / log2(r_t + 1) and IDCG@k = sum_{r=1..min(k,|T|)} 1 / log2(r + 1);</li>
 *   <li>Recall@k = hits@k / min(k, |T|) (so a perfect ranking scores 1 even when |T| > k);</li>
 *   <li>HR@k = 1 if hits@k > 0 else 0; Precision@k = hits@k / k;</li>
 *   <li>AP@k = (1 / min(k, |T|)) sum_{r_t <= k} precision at r_t; MAP@k is its mean over users;</li>
 *   <li>RR = 1 / min_t r_t (over the whole ranking); MRR is its mean over users.</li>
 * </ul>
 */
public final class RankingMetrics {

    private RankingMetrics() {}

    public static int hits(int[] ranks, int n, int k) {
        int h = 0;
        for (int j = 0; j < n && ranks[j] <= k; j++) {
            h++;
        }
        return h;
    }

    public static double dcg(int[] ranks, int n, int k) {
        double s = 0;
        for (int j = 0; j < n && ranks[j] <= k; j++) {
            s += gain(ranks[j]);
        }
        return s;
    }

    public static double idcg(int n, int k) {
        double s = 0;
        for (int r = 1; r <= Math.min(n, k); r++) {
            s += gain(r);
        }
        return s;
    }

    public static double ndcg(int[] ranks, int n, int k) {
        return n == 0 ? 0 : dcg(ranks, n, k) / idcg(n, k);
    }

    public static double recall(int[] ranks, int n, int k) {
        return n == 0 ? 0 : hits(ranks, n, k) / (double) Math.min(n, k);
    }

    public static double hitRate(int[] ranks, int n, int k) {
        return hits(ranks, n, k) > 0 ? 1 : 0;
    }

    public static double precision(int[] ranks, int n, int k) {
        return hits(ranks, n, k) / (double) k;
    }

    public static double averagePrecision(int[] ranks, int n, int k) {
        if (n == 0) {
            return 0;
        }
        double s = 0;
        for (int j = 0; j < n && ranks[j] <= k; j++) {
            s += (j + 1) / (double) ranks[j];
        }
        return s / Math.min(n, k);
    }

    public static double reciprocalRank(int[] ranks, int n) {
        return n == 0 ? 0 : 1.0 / ranks[0];
    }

    /** The DCG gain of a relevant item at 1-based {@code rank}: {@code 1 / log2(rank + 1)}. */
    static double gain(int rank) {
        return Math.log(2) / Math.log(rank + 1.0);
    }
}
