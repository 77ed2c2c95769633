package dev.mfrecs.trainer.data;

import dev.mfrecs.contract.DuplicatePolicy;
import org.junit.jupiter.api.Test;

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
}
