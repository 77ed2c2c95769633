package dev.mfrecs.evaluation;

import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.trainer.data.IdDictionary;
import dev.mfrecs.trainer.data.InteractionMatrix;

import dev.mfrecs.factorization.CsrMatrix;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harness end to end: exact ranks, a hand-computed fixed-score example, and each protocol on synthetic data. */
class EvaluatorTest {

    private static final EvalOptions LOO = EvalOptions.defaults(Protocol.LEAVE_ONE_OUT, 42, 2);

    @Test
    void ranksSkipExcludedItemsAndBreakTiesBySmallerIndex() {
        // scores of items 0..4; item 1 excluded (NaN); item 3 ties with item 0
        float[] scores = { 0.5f, Float.NaN, 0.9f, 0.5f, 0.1f };
        assertEquals(2, Evaluator.rankAmongAll(scores, 5, 0)); // only item 2 is better
        assertEquals(3, Evaluator.rankAmongAll(scores, 5, 3)); // items 2 and 0 (tie, smaller index)
        assertEquals(4, Evaluator.rankAmongAll(scores, 5, 4));
        assertEquals(2, Evaluator.rankAmong(scores, new int[] { 2, 4 }, 3)); // among candidates {2, 4}: only 2 beats it
    }

    @Test
    void fixedScoresGiveHandComputedMetrics() {
        // 2 users, 4 items. User a trained on item 0, tested on item 3; user b trained on 1, tested on 2.
        InteractionMatrix.Accumulator b = new InteractionMatrix.Accumulator(DuplicatePolicy.SUM, true);
        b.add("a", "0", 1, 1);
        b.add("a", "3", 1, 2);
        b.add("b", "1", 1, 1);
        b.add("b", "2", 1, 2);
        b.add("b", "0", 1, 0);
        Interactions d = Interactions.of(b.build(1, 1));
        PairSplit split = Splitter.leaveOneOut(d, 1);
        // every user gets scores 4, 3, 2, 1 for items 0..3 (in the dictionary's order "0", "3", "1", "2")
        Recommender fixed = new Recommender() {
            @Override
            public int fit(CsrMatrix train) {
                return 0;
            }

            @Override
            public void scoreUser(int u, float[] out) {
                for (int i = 0; i < out.length; i++) {
                    out[i] = 4 - Integer.parseInt(d.items().id(i));
                }
            }

            @Override
            public void scoreHistory(int[] items, float[] values, int n, float[] out) {
                scoreUser(0, out);
            }
        };
        EvalResult r = Evaluator.evaluateSplit(fixed, "fixed", Map.of(), d, split, new EvalOptions(Protocol.LEAVE_ONE_OUT,
            new int[] { 1, 2 }, 0, 0.2, 0.2, 1, 1, 1));
        // user a: item 0 excluded, ranking 1, 2, 3 -> item 3 at rank 3; user b: items 0, 1 excluded, ranking 2, 3 -> item 2 at rank 1
        assertEquals(2, r.usersEvaluated());
        assertEquals(0.5, r.metric("hr@1"), 1e-9);
        assertEquals(0.5, r.metric("hr@2"), 1e-9);
        assertEquals((1.0 / 3 + 1.0) / 2, r.metric("mrr"), 1e-9);
        assertEquals(0.5, r.metric("ndcg@2"), 1e-9); // user b: 1; user a: 0
        // coverage@2: a gets {1, 2}, b gets {2, 3}: items 1, 2, 3 of 4
        assertEquals(0.75, r.metric("coverage@2"), 1e-9);
    }

    @Test
    void implicitAlsBeatsPopularityOnLowRankData() {
        Interactions d = SyntheticInteractions.lowRank(400, 200, 5, 15, 1);
        Map<String, String> small = Map.of("factors", "8", "iterations", "10", "regularization", "0.05", "alpha", "5");
        EvalResult ials = Evaluator.evaluate(ModelSpec.of("ials", small), d, LOO);
        EvalResult pop = Evaluator.evaluate(ModelSpec.of("popularity", Map.of()), d, LOO);
        assertEquals(400, ials.usersEvaluated());
        assertTrue(ials.metric("ndcg@10") > 1.5 * pop.metric("ndcg@10"), ials.metrics() + " vs " + pop.metrics());
        assertTrue(ials.metric("recall@20") > pop.metric("recall@20"));
        assertTrue(ials.metric("coverage@20") > pop.metric("coverage@20"));
        assertTrue(ials.trainSeconds() > 0 && ials.secondsPerIteration() > 0);
        EvalResult knn = Evaluator.evaluate(ModelSpec.of("item-knn", Map.of("neighbors", "30")), d, LOO);
        assertTrue(knn.metric("ndcg@10") > pop.metric("ndcg@10"), knn.metrics() + " vs " + pop.metrics());
        EvalResult svd = Evaluator.evaluate(ModelSpec.of("svd", Map.of("factors", "8")), d, LOO);
        assertTrue(svd.metric("ndcg@10") > pop.metric("ndcg@10"), svd.metrics() + " vs " + pop.metrics());
    }

    @Test
    void sampledRankingIsNeverHarderThanTheFullRanking() {
        Interactions d = SyntheticInteractions.lowRank(200, 300, 5, 10, 2);
        ModelSpec spec = ModelSpec.of("ials", Map.of("factors", "8", "iterations", "5"));
        EvalResult full = Evaluator.evaluate(spec, d, LOO);
        EvalResult sampled = Evaluator.evaluate(spec, d, new EvalOptions(Protocol.LEAVE_ONE_OUT, new int[] { 10 }, 99, 0.2, 0.2, 1, 42, 2));
        assertEquals("leave-one-out-sampled-99", sampled.protocol());
        // the positive's rank among 99 negatives is at most its rank among all items, for every user
        assertTrue(sampled.metric("hr@10") >= full.metric("hr@10"));
        assertTrue(sampled.metric("mrr") > full.metric("mrr"));
    }

    @Test
    void strongGeneralizationFoldsInUnseenUsers() {
        Interactions d = SyntheticInteractions.lowRank(500, 200, 5, 15, 4);
        EvalOptions strong = EvalOptions.defaults(Protocol.STRONG, 42, 2);
        EvalResult ials = Evaluator.evaluate(ModelSpec.of("ials", Map.of("factors", "8", "iterations", "10")), d, strong);
        EvalResult svd = Evaluator.evaluate(ModelSpec.of("svd", Map.of("factors", "8")), d, strong);
        EvalResult pop = Evaluator.evaluate(ModelSpec.of("popularity", Map.of()), d, strong);
        assertTrue(ials.usersEvaluated() > 60 && ials.usersEvaluated() < 140, "about 20% of 500: " + ials.usersEvaluated());
        assertTrue(ials.metric("ndcg@10") > 1.5 * pop.metric("ndcg@10"), ials.metrics() + " vs " + pop.metrics());
        assertTrue(svd.metric("ndcg@10") > pop.metric("ndcg@10"), svd.metrics() + " vs " + pop.metrics());
    }

    @Test
    void strongGeneralizationTrainsAsIfHeldOutUsersAndUnusedItemsDidNotExist() {
        Interactions d = SyntheticInteractions.lowRank(300, 100, 4, 12, 8);
        // the same pairs under dictionaries that also know users and items without any pair (as split files of other users do)
        IdDictionary users = new IdDictionary();
        IdDictionary items = new IdDictionary();
        for (int k = 0; k < 50; k++) {
            users.add("ghost-user-" + k);
            items.add("ghost-item-" + k);
        }
        int[] user = new int[d.size()];
        int[] item = new int[d.size()];
        for (int p = 0; p < d.size(); p++) {
            user[p] = users.add(d.users().id(d.user()[p]));
            item[p] = items.add(d.items().id(d.item()[p]));
        }
        Interactions ghosts = new Interactions(users, items, user, item, d.value(), d.times());
        PairSplit split = Splitter.strongCount(d, 40, 0.8, 3);
        EvalOptions strong = new EvalOptions(Protocol.STRONG, new int[] { 10, 50 }, 0, 0.2, 40, 1, 42, 2);
        // Rendle's frequency-scaled regularization counts |U| and |I|: ghosts would change it if they reached the trainer
        ModelSpec rendle = ModelSpec.of("ials", Map.of("factors", "6", "iterations", "5", "alpha0", "0.3", "nu", "1",
            "regularization", "0.05"));
        EvalResult plain = Evaluator.evaluateSplit(rendle, d, split, strong);
        EvalResult haunted = Evaluator.evaluateSplit(rendle, ghosts, split, strong);
        assertEquals(plain.metric("ndcg@50"), haunted.metric("ndcg@50"), 1e-12);
        assertEquals(plain.metric("recall@10"), haunted.metric("recall@10"), 1e-12);
        assertEquals(plain.usersEvaluated(), haunted.usersEvaluated());
        assertTrue(plain.metric("ndcg@50") > 0);
    }

    @Test
    void holdoutIsThreadCountIndependent() {
        Interactions d = SyntheticInteractions.lowRank(150, 80, 4, 10, 6);
        ModelSpec spec = ModelSpec.of("ials", Map.of("factors", "6", "iterations", "4"));
        EvalResult one = Evaluator.evaluate(spec, d, EvalOptions.defaults(Protocol.HOLDOUT, 3, 1));
        EvalResult four = Evaluator.evaluate(spec, d, EvalOptions.defaults(Protocol.HOLDOUT, 3, 4));
        assertEquals(one.metrics(), four.metrics());
    }

    @Test
    void ratingModelsBeatTheGlobalMeanAndCrossValidate() {
        Interactions d = SyntheticInteractions.ratings(300, 100, 20, 8);
        EvalOptions cv = new EvalOptions(Protocol.RATINGS, new int[] { 10 }, 0, 0.2, 0.2, 3, 42, 2);
        // the global-mean predictor's RMSE over the same folds
        double sq = 0;
        for (PairSplit f : Splitter.ratingsFolds(d, 3, 0.2, 42)) {
            double mean = 0;
            for (int p : f.train()) {
                mean += d.value()[p];
            }
            mean /= f.train().length;
            for (int p : f.test()) {
                sq += (d.value()[p] - mean) * (d.value()[p] - mean);
            }
        }
        double meanRmse = Math.sqrt(sq / d.size());
        EvalResult als = Evaluator.evaluate(ModelSpec.of("als", Map.of("factors", "4", "regularization", "0.05")), d, cv);
        EvalResult funk = Evaluator.evaluate(ModelSpec.of("funk", Map.of("factors", "4", "iterations", "40", "learning-rate", "0.01")), d,
            cv);
        assertEquals("ratings-3-fold", als.protocol());
        assertTrue(als.metric("rmse") < 0.85 * meanRmse, als.metrics() + " vs global mean " + meanRmse);
        assertTrue(funk.metric("rmse") < 0.85 * meanRmse, funk.metrics() + " vs global mean " + meanRmse);
        assertTrue(als.metric("mae") <= als.metric("rmse"));
        // the ground truth has item biases (sd 0.8) and a rank-1 interaction (sd 0.64): biases capture the first part only
        EvalResult biases = Evaluator.evaluate(ModelSpec.of("biases", Map.of()), d, cv);
        assertTrue(biases.metric("rmse") < 0.95 * meanRmse, biases.metrics() + " vs global mean " + meanRmse);
        assertTrue(als.metric("rmse") < biases.metric("rmse"), als.metrics() + " vs biases " + biases.metrics());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> Evaluator.evaluate(ModelSpec.of("ials", Map.of()), d, cv));
        assertTrue(e.getMessage().contains("[--protocol]") && e.getMessage().contains("[ials]"), e.getMessage());
        assertTrue(e.getMessage().contains("[biases]"), "the message lists the rating models: " + e.getMessage());
    }

    @Test
    void unknownModelsAndParametersAreRejectedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.of("bpr", Map.of()));
        assertTrue(e.getMessage().contains("[--algorithm]") && e.getMessage().contains("[bpr]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.of("ials", Map.of("neighbors", "3")));
        assertTrue(e.getMessage().contains("[neighbors]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Protocol.parse("kfold"));
        assertTrue(e.getMessage().contains("[kfold]"), e.getMessage());
    }
}
