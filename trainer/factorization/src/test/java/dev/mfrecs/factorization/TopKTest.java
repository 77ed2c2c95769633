package dev.mfrecs.factorization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Checks exact top-k selection, its tie-break and exclusion rules, and the retrieval helpers against full sorts. */
class TopKTest {

    @Test
    void tiesGoToSmallerIndex() {
        float[] scores = { 1f, 3f, 3f, 2f, 3f };
        assertArrayEquals(new int[] { 1, 2 }, TopK.topK(scores, 5, 2, null));
        assertArrayEquals(new int[] { 1, 2, 4, 3 }, TopK.topK(scores, 5, 4, null));
        assertArrayEquals(new int[] { 0, 1, 2 }, TopK.topK(new float[] { 5f, 5f, 5f, 5f }, 4, 3, null));
    }

    @Test
    void exclusionNanAndShortInputs() {
        float[] scores = { 1f, 3f, Float.NaN, 2f, 3f };
        assertArrayEquals(new int[] { 4, 3, 0 }, TopK.topK(scores, 5, 10, i -> i == 1));
        assertArrayEquals(new int[0], TopK.topK(scores, 5, 0, null));
        assertArrayEquals(new int[] { 1, 0 }, TopK.topK(scores, 2, 5, null));
        assertThrows(IllegalArgumentException.class, () -> TopK.topK(scores, 5, -1, null));
    }

    @Test
    void matchesFullSortOnRandomScoresWithManyTies() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + random.nextInt(300);
            int k = random.nextInt(40);
            float[] scores = new float[n];
            for (int i = 0; i < n; i++) {
                scores[i] = random.nextInt(20);
            }
            int[] expected = IntStream.range(0, n)
                .filter(i -> i % 7 != 3)
                .boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -scores[i]).thenComparingInt(i -> i))
                .limit(k)
                .mapToInt(Integer::intValue)
                .toArray();
            assertArrayEquals(expected, TopK.topK(scores, n, k, i -> i % 7 == 3));
        }
    }

    @Test
    void recommendAndSimilarAgreeWithScoredTopK() {
        SplittableRandom random = new SplittableRandom(11);
        int items = 120;
        int d = 6;
        float[] factors = new float[items * d];
        for (int j = 0; j < factors.length; j++) {
            factors[j] = (float) random.nextGaussian();
        }
        float[] user = { 0.5f, -1f, 2f, 0f, 1f, -0.25f };
        float[] dots = new float[items];
        for (int i = 0; i < items; i++) {
            dots[i] = Vectors.dot(user, 0, factors, i * d, d);
        }
        assertArrayEquals(TopK.topK(dots, items, 10, i -> i < 5), TopK.recommend(user, factors, items, d, 10, i -> i < 5));

        int item = 17;
        int[] similar = TopK.similar(factors, items, d, item, items, true);
        assertEquals(items - 1, similar.length);
        assertTrue(Arrays.stream(similar).noneMatch(i -> i == item), "similar must exclude the item itself");
        float[] cos = new float[items];
        double n0 = Math.sqrt(Vectors.squaredNorm(factors, item * d, d));
        for (int i = 0; i < items; i++) {
            cos[i] = (float) (Vectors.dotDouble(factors, item * d, factors, i * d, d) / (n0 * Math.sqrt(Vectors.squaredNorm(factors, i * d,
                d))));
        }
        assertArrayEquals(TopK.topK(cos, items, 8, i -> i == item), TopK.similar(factors, items, d, item, 8, true));
        float[] dot = new float[items];
        for (int i = 0; i < items; i++) {
            dot[i] = Vectors.dot(factors, item * d, factors, i * d, d);
        }
        assertArrayEquals(TopK.topK(dot, items, 8, i -> i == item), TopK.similar(factors, items, d, item, 8, false));
    }
}
