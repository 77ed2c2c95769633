package dev.mfrecs.evaluation;

import dev.mfrecs.factorization.CsrMatrix;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The beyond-accuracy figures on training matrices where they follow from the definitions. */
class BeyondAccuracyTest {

    /** 4 users; items 0 and 1 have the same users (0, 1), item 2 has users 2 and 3, item 3 has user 0 only. */
    private static CsrMatrix train() {
        int[] rows = { 0, 1, 0, 1, 2, 3, 0 };
        int[] cols = { 0, 0, 1, 1, 2, 2, 3 };
        float[] vals = { 1, 1, 1, 1, 1, 1, 1 };
        return CsrMatrix.fromTriplets(4, 4, rows, cols, vals, rows.length);
    }

    @Test
    void identicalColumnsAreNotDiverseAndDisjointOnesFully() {
        BeyondAccuracy b = new BeyondAccuracy(train());
        assertEquals(1.0, b.cosine(0, 1), 1e-12);
        assertEquals(0.0, b.cosine(0, 2), 1e-12);
        assertEquals(1 / Math.sqrt(2), b.cosine(0, 3), 1e-12, "one common user of 2 and 1");
        assertEquals(0.0, b.measure(new int[][] { { 0, 1 } }, null).get("diversity@10"), 1e-12);
        assertEquals(1.0, b.measure(new int[][] { { 0, 2 } }, null).get("diversity@10"), 1e-12);
        // three pairs: (0,1) 0, (0,2) 1, (1,2) 1
        assertEquals(2.0 / 3, b.measure(new int[][] { { 0, 1, 2 } }, null).get("diversity@10"), 1e-12);
    }

    @Test
    void noveltyAndPopularityRankFollowTrainingCounts() {
        BeyondAccuracy b = new BeyondAccuracy(train());
        Map<String, Double> m = b.measure(new int[][] { { 3 }, { 0, 2 } }, null);
        // item 3: 1 of 4 users, 2 bits; items 0 and 2: 2 of 4 users, 1 bit each; mean over the two lists (2 + 1) / 2
        assertEquals(1.5, m.get("novelty@10"), 1e-12);
        // popularity ranks by count, ties by index: 0 -> 1, 1 -> 2, 2 -> 3, 3 -> 4; lists: 4 and (1 + 3) / 2
        assertEquals((4 + 2.0) / 2, m.get("popularity-rank@10"), 1e-12);
        assertFalse(m.containsKey("categories@10"), "no categories without item attributes");
        Map<String, Double> c = b.measure(new int[][] { { 0, 1 }, { 2, 3 } }, new int[][] { { 0 }, { 0, 1 }, { 2 }, {} });
        assertEquals((2 + 1) / 2.0, c.get("categories@10"), 1e-12);
    }

    @Test
    void onlyTheFirstTenOfALongerListCount() {
        int items = 30;
        int[] rows = new int[items];
        int[] cols = new int[items];
        float[] vals = new float[items];
        for (int i = 0; i < items; i++) {
            rows[i] = i;
            cols[i] = i;
            vals[i] = 1;
        }
        BeyondAccuracy b = new BeyondAccuracy(CsrMatrix.fromTriplets(items, items, rows, cols, vals, items));
        int[] list = new int[items];
        for (int i = 0; i < items; i++) {
            list[i] = i;
        }
        // every item is rated by one user: ranks are the indices + 1, so the first ten average 5.5
        assertEquals(5.5, b.measure(new int[][] { list }, null).get("popularity-rank@10"), 1e-12);
    }
}
