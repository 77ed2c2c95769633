package dev.mfrecs.evaluation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Each metric against examples computed by hand (the arithmetic is in the comments). */
class RankingMetricsTest {

    private static final double EPS = 1e-4;

    @Test
    void twoRelevantAtRanksOneAndThree() {
        int[] ranks = { 1, 3 };
        // k = 3: DCG = 1/log2(2) + 1/log2(4) = 1 + 0.5 = 1.5; IDCG = 1/log2(2) + 1/log2(3) = 1 + 0.63093 = 1.63093
        assertEquals(1.5, RankingMetrics.dcg(ranks, 2, 3), EPS);
        assertEquals(1.63093, RankingMetrics.idcg(2, 3), EPS);
        assertEquals(1.5 / 1.63093, RankingMetrics.ndcg(ranks, 2, 3), EPS); // 0.91972
        assertEquals(1.0, RankingMetrics.recall(ranks, 2, 3), EPS); // 2 hits / min(3, 2)
        assertEquals(2.0 / 3, RankingMetrics.precision(ranks, 2, 3), EPS);
        assertEquals(1.0, RankingMetrics.hitRate(ranks, 2, 3), EPS);
        assertEquals((1.0 / 1 + 2.0 / 3) / 2, RankingMetrics.averagePrecision(ranks, 2, 3), EPS); // 0.83333
        assertEquals(1.0, RankingMetrics.reciprocalRank(ranks, 2), EPS);
        // k = 2: only rank 1 counts; DCG = 1, IDCG = 1.63093, recall = 1 / min(2, 2), AP = (1/1) / 2
        assertEquals(0.61315, RankingMetrics.ndcg(ranks, 2, 2), EPS);
        assertEquals(0.5, RankingMetrics.recall(ranks, 2, 2), EPS);
        assertEquals(0.5, RankingMetrics.precision(ranks, 2, 2), EPS);
        assertEquals(0.5, RankingMetrics.averagePrecision(ranks, 2, 2), EPS);
    }

    @Test
    void threeRelevantAtRanksTwoFiveSeven() {
        int[] ranks = { 2, 5, 7 };
        // k = 5: hits at 2 and 5; DCG = 1/log2(3) + 1/log2(6) = 0.63093 + 0.38685 = 1.01778
        // IDCG(3 relevant) = 1 + 0.63093 + 0.5 = 2.13093; NDCG = 0.47762
        assertEquals(0.47762, RankingMetrics.ndcg(ranks, 3, 5), EPS);
        assertEquals(2.0 / 3, RankingMetrics.recall(ranks, 3, 5), EPS);
        assertEquals(0.4, RankingMetrics.precision(ranks, 3, 5), EPS);
        assertEquals(1.0, RankingMetrics.hitRate(ranks, 3, 5), EPS);
        // AP@5 = (1/2 + 2/5) / min(5, 3) = 0.9 / 3 = 0.3
        assertEquals(0.3, RankingMetrics.averagePrecision(ranks, 3, 5), EPS);
        assertEquals(0.5, RankingMetrics.reciprocalRank(ranks, 3), EPS);
        // k = 1: nothing at rank 1
        assertEquals(0.0, RankingMetrics.ndcg(ranks, 3, 1), EPS);
        assertEquals(0.0, RankingMetrics.hitRate(ranks, 3, 1), EPS);
    }

    @Test
    void recallIsNormalizedByTheCutoffWhenThereAreMoreRelevantItems() {
        int[] ranks = { 1, 2, 3, 4 };
        // 4 relevant, k = 2, both top slots relevant: recall = 2 / min(2, 4) = 1 (plain recall would be 0.5); NDCG = 1
        assertEquals(1.0, RankingMetrics.recall(ranks, 4, 2), EPS);
        assertEquals(1.0, RankingMetrics.ndcg(ranks, 4, 2), EPS);
        assertEquals(1.0, RankingMetrics.averagePrecision(ranks, 4, 2), EPS);
    }

    @Test
    void missBeyondTheCutoffStillCountsForReciprocalRank() {
        int[] ranks = { 11 };
        assertEquals(0.0, RankingMetrics.ndcg(ranks, 1, 10), EPS);
        assertEquals(0.0, RankingMetrics.recall(ranks, 1, 10), EPS);
        assertEquals(0.0, RankingMetrics.averagePrecision(ranks, 1, 10), EPS);
        assertEquals(1.0 / 11, RankingMetrics.reciprocalRank(ranks, 1), EPS);
        // leave-one-out at rank 4: NDCG@10 = 1/log2(5) = 0.43068
        assertEquals(0.43068, RankingMetrics.ndcg(new int[] { 4 }, 1, 10), EPS);
    }

    @Test
    void accumulatorAveragesUsersAndPoolsErrors() {
        MetricsAccumulator acc = new MetricsAccumulator(new int[] { 2 }, 5);
        acc.addUser(new int[] { 1 }, 1); // NDCG@2 = 1, HR = 1, RR = 1
        acc.addUser(new int[] { 3 }, 1); // NDCG@2 = 0, HR = 0, RR = 1/3
        acc.addTop(new int[] { 0, 1 });
        acc.addTop(new int[] { 1, 4 });
        var m = acc.means();
        assertEquals(0.5, m.get("ndcg@2"), EPS);
        assertEquals(0.5, m.get("hr@2"), EPS);
        assertEquals((1 + 1.0 / 3) / 2, m.get("mrr"), EPS);
        assertEquals(3.0 / 5, m.get("coverage@2"), EPS); // items 0, 1, 4 of 5
        MetricsAccumulator errors = new MetricsAccumulator(new int[] { 10 }, 0);
        errors.addError(1);
        errors.addError(-2);
        // RMSE = sqrt((1 + 4) / 2) = 1.58114, MAE = (1 + 2) / 2 = 1.5
        assertEquals(1.58114, errors.means().get("rmse"), EPS);
        assertEquals(1.5, errors.means().get("mae"), EPS);
    }
}
