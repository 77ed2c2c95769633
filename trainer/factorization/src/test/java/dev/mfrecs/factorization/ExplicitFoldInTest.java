package dev.mfrecs.factorization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

/**
 * Explicit fold-in reproduces a training user's factors and bias after the final user half-sweep, and its explanation splits
 * the ranking score {@code b_i + q_i . p_u} (the published vectors' dot product) into the item bias plus one contribution per
 * rated item.
 */
class ExplicitFoldInTest {

    private static final SyntheticData.RatingsSplit DATA = SyntheticData.biasedRatings(150, 90, 3, 0.15, 0.0, 0.1, 11);
    private static final ExplicitAlsParams PARAMS = new ExplicitAlsParams(5, 6, 0.05f, 3L, 2);

    @Test
    void explainSumsToTheRankingScoreOfTheFoldedInUser() {
        CsrMatrix ui = DATA.train();
        BiasedModel b = ExplicitAls.train(ui, PARAMS, TrainingListener.NONE);
        ExplicitAls.halfSweep(ui, b.itemFactors(), b.itemBias(), b.items(), b.globalMean(), b.userFactors(), b.userBias(), PARAMS);
        int d = b.factors();
        ExplicitFoldIn foldIn = new ExplicitFoldIn(d);
        float[] p = new float[d];
        int checked = 0;
        for (int u = 0; u < b.users(); u += 5) {
            int from = ui.indptr()[u];
            int k = ui.indptr()[u + 1] - from;
            if (k == 0) {
                continue;
            }
            float[] vectors = new float[k * d];
            float[] biases = new float[k];
            for (int j = 0; j < k; j++) {
                int item = ui.indices()[from + j];
                System.arraycopy(b.itemFactors(), item * d, vectors, j * d, d);
                biases[j] = b.itemBias()[item];
            }
            float[] ratings = Arrays.copyOfRange(ui.values(), from, from + k);
            float userBias = foldIn.foldIn(b.globalMean(), PARAMS.regularization(), vectors, biases, ratings, k, p);
            assertEquals(b.userBias()[u], userBias, 1e-3, "user " + u + " bias");
            for (int j = 0; j < d; j++) {
                assertEquals(b.userFactors()[u * d + j], p[j], 1e-3, "user " + u + " factor " + j);
            }
            for (int i = 0; i < b.items(); i += 7) {
                float[] q = Arrays.copyOfRange(b.itemFactors(), i * d, (i + 1) * d);
                float[] contributions = new float[k];
                float score = foldIn.explain(b.globalMean(), PARAMS.regularization(), vectors, biases, ratings, k, q, b.itemBias()[i],
                    contributions);
                double expected = b.itemBias()[i];
                for (int j = 0; j < d; j++) {
                    expected += (double) q[j] * b.userFactors()[u * d + j];
                }
                assertEquals(expected, score, 1e-3, "user " + u + " item " + i + " score");
                double sum = b.itemBias()[i];
                for (float c : contributions) {
                    sum += c;
                }
                assertEquals(score, sum, 1e-3 * Math.max(1, Math.abs(score)), "contributions of user " + u + " item " + i);
            }
            checked++;
        }
        assertTrue(checked > 10);
    }

    /** The contribution vectors reproduce {@code explain}'s contributions for every item, with one factorization. */
    @Test
    void contributionVectorsMatchExplain() {
        CsrMatrix ui = DATA.train();
        BiasedModel b = ExplicitAls.train(ui, PARAMS, TrainingListener.NONE);
        int d = b.factors();
        int stride = d + 1;
        ExplicitFoldIn foldIn = new ExplicitFoldIn(d);
        int checked = 0;
        for (int u = 2; u < b.users(); u += 9) {
            int from = ui.indptr()[u];
            int k = ui.indptr()[u + 1] - from;
            if (k == 0) {
                continue;
            }
            float[] vectors = new float[k * d];
            float[] biases = new float[k];
            for (int j = 0; j < k; j++) {
                int item = ui.indices()[from + j];
                System.arraycopy(b.itemFactors(), item * d, vectors, j * d, d);
                biases[j] = b.itemBias()[item];
            }
            float[] ratings = Arrays.copyOfRange(ui.values(), from, from + k);
            float[] out = new float[k * stride];
            foldIn.contributionVectors(b.globalMean(), PARAMS.regularization(), vectors, biases, ratings, k, out, stride);
            for (int i = 0; i < b.items(); i += 11) {
                float[] q = Arrays.copyOfRange(b.itemFactors(), i * d, (i + 1) * d);
                float[] contributions = new float[k];
                foldIn.explain(b.globalMean(), PARAMS.regularization(), vectors, biases, ratings, k, q, b.itemBias()[i], contributions);
                for (int j = 0; j < k; j++) {
                    assertEquals(0f, out[j * stride + d]);
                    double c = 0;
                    for (int f = 0; f < d; f++) {
                        c += (double) q[f] * out[j * stride + f];
                    }
                    assertEquals(contributions[j], c, 1e-4 * Math.max(1, Math.abs(c)), "user " + u + " item " + i + " entry " + j);
                }
                checked++;
            }
        }
        assertTrue(checked > 20);
    }
}
