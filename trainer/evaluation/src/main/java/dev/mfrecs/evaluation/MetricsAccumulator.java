package dev.mfrecs.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sums per-user {@link RankingMetrics} (and prediction errors) in user order and turns them into the named means of a result, so
 * the metric names and their order are defined once: for each cutoff k {@code ndcg@k, recall@k, hr@k, precision@k, map@k}, then
 * {@code mrr} and {@code coverage@K} (distinct items in the users' top-K lists over all items, K the largest cutoff); or
 * {@code rmse} and {@code mae} for rating predictions.
 */
public final class MetricsAccumulator {

    private final int[] cutoffs;
    private final double[] ndcg;
    private final double[] recall;
    private final double[] hr;
    private final double[] precision;
    private final double[] ap;
    private final boolean[] recommended;
    private double rr;
    private int users;
    private boolean anyTop;
    private double squaredError;
    private double absoluteError;
    private long errors;

    public MetricsAccumulator(int[] cutoffs, int items) {
        this.cutoffs = cutoffs.clone();
        int c = cutoffs.length;
        ndcg = new double[c];
        recall = new double[c];
        hr = new double[c];
        precision = new double[c];
        ap = new double[c];
        recommended = new boolean[items];
    }

    /** One user's sorted 1-based ranks of their {@code n} relevant items. */
    public void addUser(int[] ranks, int n) {
        for (int c = 0; c < cutoffs.length; c++) {
            int k = cutoffs[c];
            ndcg[c] += RankingMetrics.ndcg(ranks, n, k);
            recall[c] += RankingMetrics.recall(ranks, n, k);
            hr[c] += RankingMetrics.hitRate(ranks, n, k);
            precision[c] += RankingMetrics.precision(ranks, n, k);
            ap[c] += RankingMetrics.averagePrecision(ranks, n, k);
        }
        rr += RankingMetrics.reciprocalRank(ranks, n);
        users++;
    }

    /** One user's recommended top-K list, for catalog coverage. */
    public void addTop(int[] top) {
        anyTop = true;
        for (int i : top) {
            recommended[i] = true;
        }
    }

    /** One rating prediction error ({@code actual - predicted}). */
    public void addError(double error) {
        squaredError += error * error;
        absoluteError += Math.abs(error);
        errors++;
    }

    public int users() {
        return users;
    }

    public long errors() {
        return errors;
    }

    public int maxCutoff() {
        int m = 0;
        for (int k : cutoffs) {
            m = Math.max(m, k);
        }
        return m;
    }

    public Map<String, Double> means() {
        Map<String, Double> out = new LinkedHashMap<>();
        if (errors > 0) {
            out.put("rmse", Math.sqrt(squaredError / errors));
            out.put("mae", absoluteError / errors);
        }
        if (users > 0) {
            for (int c = 0; c < cutoffs.length; c++) {
                int k = cutoffs[c];
                out.put("ndcg@" + k, ndcg[c] / users);
                out.put("recall@" + k, recall[c] / users);
                out.put("hr@" + k, hr[c] / users);
                out.put("precision@" + k, precision[c] / users);
                out.put("map@" + k, ap[c] / users);
            }
            out.put("mrr", rr / users);
        }
        if (anyTop) {
            int n = 0;
            for (boolean b : recommended) {
                n += b ? 1 : 0;
            }
            out.put("coverage@" + maxCutoff(), recommended.length == 0 ? 0 : n / (double) recommended.length);
        }
        return out;
    }
}
