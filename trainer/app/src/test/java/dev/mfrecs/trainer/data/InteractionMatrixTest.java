package dev.mfrecs.trainer.data;

import dev.mfrecs.contract.DuplicatePolicy;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The accumulator's duplicate policies, minimum counts and kept timestamps. */
class InteractionMatrixTest {

    @Test
    void sumsRepeatedEventsAndDropsNonPositivePairs() {
        InteractionMatrix.Accumulator acc = new InteractionMatrix.Accumulator();
        acc.add("alice", "tea", 1f);
        acc.add("alice", "tea", 2f);
        acc.add("alice", "cup", 1f);
        acc.add("alice", "cup", -1f); // a return cancels the purchase
        acc.add("bob", "tea", 5f);
        InteractionMatrix m = acc.build(1, 1);
        assertEquals(5, m.events());
        assertEquals(2, m.users().size());
        assertEquals(1, m.items().size(), "cup has no positive pair left");
        assertEquals(2, m.userItems().nnz());
        assertEquals(3f, m.userItems().get(m.users().indexOf("alice"), m.items().indexOf("tea")));
        assertEquals(5f, m.userItems().get(m.users().indexOf("bob"), m.items().indexOf("tea")));
    }

    @Test
    void averagesRatingsAndBinarizes() {
        InteractionMatrix.Accumulator acc = new InteractionMatrix.Accumulator(DuplicatePolicy.MEAN);
        acc.add("u", "a", 5f);
        acc.add("u", "a", 3f);
        acc.add("u", "b", 2f);
        InteractionMatrix mean = acc.build(1, 1);
        assertEquals(4f, mean.userItems().get(0, mean.items().indexOf("a")));
        InteractionMatrix.Accumulator acc2 = new InteractionMatrix.Accumulator(DuplicatePolicy.MEAN);
        acc2.add("u", "a", 5f);
        acc2.add("u", "b", 2f);
        InteractionMatrix bin = acc2.build(1, 1, 4f);
        assertEquals(1, bin.items().size());
        assertEquals(1f, bin.userItems().get(0, bin.items().indexOf("a")));
    }

    @Test
    void minimumCountsDropSparseUsersAndItems() {
        InteractionMatrix.Accumulator acc = new InteractionMatrix.Accumulator();
        acc.add("heavy", "x", 1f);
        acc.add("heavy", "y", 1f);
        acc.add("light", "x", 1f);
        acc.add("other", "x", 1f);
        acc.add("other", "y", 1f);
        InteractionMatrix m = acc.build(2, 2);
        assertEquals(2, m.users().size());
        assertEquals(-1, m.users().indexOf("light"));
        assertEquals(4, m.userItems().nnz());
    }

    @Test
    void keptTimesFollowTheEntriesThroughDroppedUsersAndRenumbering() {
        InteractionMatrix.Accumulator acc = new InteractionMatrix.Accumulator(DuplicatePolicy.SUM, true);
        acc.add("light", "z", 1f, 7L); // dropped: one pair only
        acc.add("heavy", "y", 1f, 20L);
        acc.add("heavy", "x", 1f, 30L);
        acc.add("heavy", "x", 1f, 10L); // older: the pair keeps 30
        acc.add("other", "y", 1f, 40L);
        acc.add("other", "x", 1f, 50L);
        InteractionMatrix m = acc.build(2, 1);
        assertEquals(4, m.times().length);
        var csr = m.userItems();
        for (int u = 0; u < csr.rows(); u++) {
            for (int p = csr.indptr()[u]; p < csr.indptr()[u + 1]; p++) {
                String pair = m.users().id(u) + ":" + m.items().id(csr.indices()[p]);
                long expected = switch (pair) {
                    case "heavy:y" -> 20L;
                    case "heavy:x" -> 30L;
                    case "other:y" -> 40L;
                    case "other:x" -> 50L;
                    default -> throw new AssertionError("unexpected pair " + pair);
                };
                assertEquals(expected, m.times()[p], pair);
            }
        }
        assertNull(new InteractionMatrix.Accumulator().build(1, 1).times());
        assertThrows(IllegalStateException.class, () -> new InteractionMatrix.Accumulator().add("u", "i", 1f, 1L));
    }

    /**
     * The chunked events, row scatter and in-place combine against a plain map of pairs, on 300,000 random events (more than one
     * chunk, unsorted rows, repeated pairs, values that are all 1 until the middle of the log, timestamps) for every policy.
     */
    @Test
    void buildMatchesAMapOfPairsForEveryPolicy() {
        for (DuplicatePolicy policy : DuplicatePolicy.values()) {
            SplittableRandom random = new SplittableRandom(policy.ordinal());
            InteractionMatrix.Accumulator acc = new InteractionMatrix.Accumulator(policy, true);
            Map<String, float[]> pairs = new LinkedHashMap<>(); // sum or last, count, latest time (as float bits: exact below 2^24)
            int n = 300_000;
            for (int e = 0; e < n; e++) {
                String user = "u" + (int) Math.sqrt(random.nextInt(400 * 400));
                String item = "i" + random.nextInt(300);
                float value = e < n / 2 ? 1f : random.nextInt(7) - 1;
                long time = random.nextInt(1 << 20);
                acc.add(user, item, value, time);
                float[] p = pairs.computeIfAbsent(user + "|" + item, k -> new float[] { 0, 0, -1 });
                p[0] = policy == DuplicatePolicy.LAST ? value : p[0] + value;
                p[1]++;
                p[2] = Math.max(p[2], time);
            }
            InteractionMatrix m = acc.build(3, 2);
            // the reference: pair values by the policy, then the minimum counts in one pass
            Map<String, Integer> perUser = new HashMap<>();
            Map<String, Integer> perItem = new HashMap<>();
            Map<String, Float> kept = new LinkedHashMap<>();
            for (Map.Entry<String, float[]> e : pairs.entrySet()) {
                float[] p = e.getValue();
                float v = policy.pairValue(policy == DuplicatePolicy.MEAN ? p[0] / p[1] : p[0], Float.NaN);
                if (Float.isNaN(v) == false) {
                    String[] ui = e.getKey().split("\\|");
                    perUser.merge(ui[0], 1, Integer::sum);
                    perItem.merge(ui[1], 1, Integer::sum);
                    kept.put(e.getKey(), v);
                }
            }
            int expected = 0;
            for (Map.Entry<String, Float> e : kept.entrySet()) {
                String[] ui = e.getKey().split("\\|");
                if (perUser.get(ui[0]) >= 3 && perItem.get(ui[1]) >= 2) {
                    expected++;
                    int u = m.users().indexOf(ui[0]);
                    int i = m.items().indexOf(ui[1]);
                    assertEquals(e.getValue(), m.userItems().get(u, i), policy + " " + e.getKey());
                }
            }
            assertEquals(expected, m.userItems().nnz(), policy.name());
            assertEquals(n, m.events());
            var csr = m.userItems();
            for (int u = 0; u < csr.rows(); u++) {
                for (int p = csr.indptr()[u]; p < csr.indptr()[u + 1]; p++) {
                    float[] ref = pairs.get(m.users().id(u) + "|" + m.items().id(csr.indices()[p]));
                    assertEquals((long) ref[2], m.times()[p]);
                }
            }
            assertThrows(IllegalStateException.class, () -> acc.add("u", "i", 1f, 1L), "an accumulator builds one matrix");
        }
    }

    /** A log whose values are all 1 stores none until the build, and builds the same matrix as one with explicit values. */
    @Test
    void allOnesLogBuildsTheSameMatrix() {
        InteractionMatrix.Accumulator ones = new InteractionMatrix.Accumulator();
        InteractionMatrix.Accumulator mixed = new InteractionMatrix.Accumulator();
        SplittableRandom random = new SplittableRandom(3);
        for (int e = 0; e < 1000; e++) {
            String u = "u" + random.nextInt(50);
            String i = "i" + random.nextInt(40);
            ones.add(u, i, 1f);
            mixed.add(u, i, 1f);
        }
        mixed.add("u0", "extra", 2f);
        InteractionMatrix a = ones.build(1, 1);
        InteractionMatrix b = mixed.build(1, 1);
        int u0 = b.users().indexOf("u0");
        assertEquals(2f, b.userItems().get(u0, b.items().indexOf("extra")));
        assertEquals(a.userItems().nnz() + 1, b.userItems().nnz());
        for (int u = 0; u < a.userItems().rows(); u++) {
            int bu = b.users().indexOf(a.users().id(u));
            for (int p = a.userItems().indptr()[u]; p < a.userItems().indptr()[u + 1]; p++) {
                assertEquals(a.userItems().values()[p], b.userItems().get(bu, b.items().indexOf(a.items().id(a.userItems().indices()[p]))));
            }
        }
        assertArrayEquals(a.users().ids().toArray(), b.users().ids().toArray());
    }
}
