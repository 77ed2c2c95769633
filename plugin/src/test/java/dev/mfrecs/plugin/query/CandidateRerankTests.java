package dev.mfrecs.plugin.query;

import org.elasticsearch.test.ESTestCase;

import java.util.Arrays;

/**
 * The diversity and dither arithmetic on its own: lambda 1 is the relevance order, MMR picks a dissimilar second item over a
 * near-duplicate, picked values never increase, dithering is reproducible per seed, moves nothing at epsilon 1, and looks only as
 * deep as {@code k * epsilon^3}.
 */
public class CandidateRerankTests extends ESTestCase {

    public void testLambdaOneIsTheRelevanceOrder() {
        float[] scores = { 5f, 4f, 3f, 2f, 1f };
        float[] vectors = { 1, 0, 1, 0.01f, 0, 1, 1, 0.02f, 0.5f, 0.5f };
        CandidateRerank.Ranked r = CandidateRerank.rerank(scores, vectors, 2, 3, 1f, null);
        assertArrayEquals(new int[] { 0, 1, 2 }, r.positions());
    }

    public void testMmrPrefersADissimilarItemOverANearDuplicate() {
        // candidate 1 is almost candidate 0; candidate 2 is orthogonal and a little less relevant
        float[] scores = { 1.0f, 0.95f, 0.9f };
        float[] vectors = { 1, 0, 1, 0.01f, 0, 1 };
        CandidateRerank.Ranked r = CandidateRerank.rerank(scores, vectors, 2, 2, 0.5f, null);
        assertArrayEquals(new int[] { 0, 2 }, r.positions());
        assertTrue(r.scores()[1] <= r.scores()[0]);
        assertTrue(r.scores()[1] > 0);
    }

    public void testMmrValuesNeverIncrease() {
        int n = 60;
        int d = 4;
        float[] scores = new float[n];
        float[] vectors = new float[n * d];
        for (int i = 0; i < n; i++) {
            scores[i] = n - i + randomFloat();
            for (int j = 0; j < d; j++) {
                vectors[i * d + j] = (float) random().nextGaussian();
            }
        }
        float lambda = randomFloat();
        CandidateRerank.Ranked r = CandidateRerank.rerank(scores, vectors, d, 20, lambda, null);
        assertEquals(20, r.positions().length);
        assertEquals(20, Arrays.stream(r.positions()).distinct().count());
        for (int i = 1; i < 20; i++) {
            assertTrue(lambda + ": " + Arrays.toString(r.scores()), r.scores()[i] <= r.scores()[i - 1]);
            assertTrue(r.scores()[i] >= 0);
        }
    }

    public void testDitherIsReproducibleAndEpsilonOneMovesNothing() {
        float[] scores = new float[50];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = 50 - i;
        }
        BusinessControls.Dither dither = new BusinessControls.Dither(1.8f, 99L);
        CandidateRerank.Ranked a = CandidateRerank.rerank(scores, null, 0, 10, null, dither);
        CandidateRerank.Ranked b = CandidateRerank.rerank(scores, null, 0, 10, null, dither);
        assertArrayEquals(a.positions(), b.positions());
        assertArrayEquals(a.scores(), b.scores(), 0f);
        assertFalse("epsilon 1.8 moved nothing in the top 10", Arrays.equals(a.positions(), new int[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }));
        for (int i = 1; i < 10; i++) {
            assertTrue(a.scores()[i] <= a.scores()[i - 1]);
        }
        CandidateRerank.Ranked none = CandidateRerank.rerank(scores, null, 0, 10, null, new BusinessControls.Dither(1f, 5L));
        assertArrayEquals(new int[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, none.positions());
        assertEquals(1f, none.scores()[0], 1e-6f);
        assertEquals(0.5f, none.scores()[1], 1e-6f);
        assertEquals("k * epsilon^3, at most n", 14, CandidateRerank.ditherDepth(10, 1.1f, 50));
        assertEquals(50, CandidateRerank.ditherDepth(10, 3f, 50));
    }
}
