package dev.mfrecs.trainer.data;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
