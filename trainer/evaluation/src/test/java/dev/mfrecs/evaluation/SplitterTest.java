package dev.mfrecs.evaluation;

import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.trainer.data.InteractionMatrix;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each protocol's split: who is held out, how much, and that splits partition the pairs reproducibly. */
class SplitterTest {

    private static Interactions tiny() {
        InteractionMatrix.Accumulator b = new InteractionMatrix.Accumulator(DuplicatePolicy.SUM, true);
        b.add("a", "x", 1, 30);
        b.add("a", "y", 1, 50); // a's latest
        b.add("a", "z", 1, 10);
        b.add("b", "x", 1, 5); // b's only pair: never held out
        b.add("c", "z", 1, 70); // c's latest
        b.add("c", "y", 1, 60);
        return Interactions.of(b.build(1, 1));
    }

    @Test
    void leaveOneOutHoldsOutEachUsersLatestPair() {
        Interactions d = tiny();
        PairSplit s = Splitter.leaveOneOut(d, 1);
        Set<String> test = new HashSet<>();
        for (int p : s.test()) {
            test.add(d.users().id(d.user()[p]) + ":" + d.items().id(d.item()[p]));
        }
        assertEquals(Set.of("a:y", "c:z"), test);
        assertEquals(d.size(), s.train().length + s.test().length);
    }

    @Test
    void holdoutKeepsAtLeastOneTrainingPairPerUserAndPartitions() {
        Interactions d = SyntheticInteractions.lowRank(50, 40, 4, 10, 3);
        PairSplit s = Splitter.holdout(d, 0.2, 7);
        int[] all = concat(s.train(), s.test());
        Arrays.sort(all);
        assertArrayEquals(rangeOf(d.size()), all);
        int[] testPerUser = new int[d.userCount()];
        for (int p : s.test()) {
            testPerUser[d.user()[p]]++;
        }
        for (int u = 0; u < d.userCount(); u++) {
            assertEquals(2, testPerUser[u], "20% of 10 pairs for user " + u);
        }
        assertArrayEquals(s.test(), Splitter.holdout(d, 0.2, 7).test(), "same seed, same split");
    }

    @Test
    void strongGeneralizationNeverTrainsOnHeldOutUsers() {
        Interactions d = SyntheticInteractions.lowRank(200, 60, 4, 10, 5);
        PairSplit s = Splitter.strong(d, 0.25, 0.8, 11);
        Set<Integer> trainUsers = new HashSet<>();
        for (int p : s.train()) {
            trainUsers.add(d.user()[p]);
        }
        Set<Integer> heldOut = new HashSet<>();
        for (int p : s.test()) {
            heldOut.add(d.user()[p]);
            assertTrue(trainUsers.contains(d.user()[p]) == false, "held-out user in training");
        }
        int[] foldInPerUser = new int[d.userCount()];
        for (int p : s.foldIn()) {
            foldInPerUser[d.user()[p]]++;
        }
        for (int u : heldOut) {
            assertEquals(8, foldInPerUser[u], "80% of 10 pairs folded in");
        }
        assertTrue(heldOut.size() > 30 && heldOut.size() < 70, "about a quarter of 200 users held out: " + heldOut.size());
        assertEquals(d.size(), s.train().length + s.test().length + s.foldIn().length);
    }

    @Test
    void ratingFoldsPartitionThePairs() {
        Interactions d = SyntheticInteractions.ratings(30, 20, 5, 1);
        PairSplit[] folds = Splitter.ratingsFolds(d, 3, 0.2, 9);
        int[] seen = new int[d.size()];
        for (PairSplit f : folds) {
            for (int p : f.test()) {
                seen[p]++;
            }
            assertEquals(d.size(), f.train().length + f.test().length);
        }
        for (int c : seen) {
            assertEquals(1, c, "every pair is tested exactly once");
        }
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static int[] rangeOf(int n) {
        int[] out = new int[n];
        for (int j = 0; j < n; j++) {
            out[j] = j;
        }
        return out;
    }
}
