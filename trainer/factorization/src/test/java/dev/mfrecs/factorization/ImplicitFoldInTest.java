package dev.mfrecs.factorization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Checks that query-time fold-in reproduces training rows, that explanations add up, and singular-system errors. */
class ImplicitFoldInTest {

    private static final SyntheticData.ImplicitSplit DATA = SyntheticData.implicitLowRank(200, 150, 4, 0.1, 0.0, 77);
    private static final ImplicitAlsParams PARAMS = new ImplicitAlsParams(6, 5, 0.05f, Confidence.log(3f, 0.5f), Solver.CHOLESKY, 3, 5L,
        2);

    @Test
    void foldInOfTrainingHistoryEqualsTrainedUserVector() {
        CsrMatrix ui = DATA.train();
        FactorModel model = ImplicitAls.train(ui, PARAMS, TrainingListener.NONE);
        // a final user half-sweep makes every user row the exact optimum against the final items
        ImplicitAls.halfSweep(ui, model.itemFactors(), model.items(), model.userFactors(), PARAMS);
        int d = model.factors();
        float[] gram = Gram.compute(model.itemFactors(), model.items(), d);
        ImplicitFoldIn foldIn = new ImplicitFoldIn(d);
        float[] out = new float[d];
        int checked = 0;
        for (int u = 0; u < model.users(); u += 7) {
            int from = ui.indptr()[u];
            int k = ui.indptr()[u + 1] - from;
            float[] history = gather(model, ui.indices(), from, k);
            float[] values = Arrays.copyOfRange(ui.values(), from, from + k);
            foldIn.foldIn(gram, PARAMS.regularization(), PARAMS.confidence(), history, values, k, out);
            double norm = Math.sqrt(Vectors.squaredNorm(model.userFactors(), u * d, d));
            for (int j = 0; j < d; j++) {
                assertEquals(model.userFactors()[u * d + j], out[j], 1e-3 * Math.max(1, norm), "user " + u + " component " + j);
            }
            checked += k > 0 ? 1 : 0;
        }
        assertTrue(checked > 10);
    }

    @Test
    void explainContributionsSumToScore() {
        CsrMatrix ui = DATA.train();
        FactorModel model = ImplicitAls.train(ui, PARAMS, TrainingListener.NONE);
        int d = model.factors();
        float[] gram = Gram.compute(model.itemFactors(), model.items(), d);
        ImplicitFoldIn foldIn = new ImplicitFoldIn(d);
        float[] user = new float[d];
        float[] item = new float[d];
        for (int u = 0; u < 40; u += 3) {
            int from = ui.indptr()[u];
            int k = ui.indptr()[u + 1] - from;
            float[] history = gather(model, ui.indices(), from, k);
            float[] values = Arrays.copyOfRange(ui.values(), from, from + k);
            if (k > 1) {
                values[1] = 0f; // ignored entry: must contribute nothing
            }
            foldIn.foldIn(gram, PARAMS.regularization(), PARAMS.confidence(), history, values, k, user);
            for (int i = 0; i < model.items(); i += 13) {
                System.arraycopy(model.itemFactors(), i * d, item, 0, d);
                float[] contributions = new float[k];
                float score = foldIn.explain(gram, PARAMS.regularization(), PARAMS.confidence(), history, values, k, item, contributions);
                double sum = 0;
                double abs = 0;
                for (float c : contributions) {
                    sum += c;
                    abs += Math.abs(c);
                }
                float expected = Vectors.dot(user, 0, item, 0, d);
                assertEquals(expected, score, 1e-4 * Math.max(1, abs), "score of item " + i + " for user " + u);
                assertEquals(score, sum, 1e-4 * Math.max(1, abs), "contributions of item " + i + " for user " + u);
                if (k > 1) {
                    assertEquals(0f, contributions[1]);
                }
            }
        }
    }

    /** One factorization's contribution vectors give, for every item, the same contributions as {@code explain} does per item. */
    @Test
    void contributionVectorsMatchExplainForEveryItem() {
        CsrMatrix ui = DATA.train();
        FactorModel model = ImplicitAls.train(ui, PARAMS, TrainingListener.NONE);
        int d = model.factors();
        ImplicitItemSide side = new ImplicitItemSide(Gram.compute(model.itemFactors(), model.items(), d), model.items(),
            PARAMS.regularization(), PARAMS.confidence(), ImplicitAlsParams.Rendle.NONE);
        ImplicitFoldIn foldIn = new ImplicitFoldIn(d);
        float[] item = new float[d];
        float[] user = new float[d];
        int checked = 0;
        for (int u = 1; u < 40; u += 5) {
            int from = ui.indptr()[u];
            int k = ui.indptr()[u + 1] - from;
            if (k < 2) {
                continue;
            }
            float[] history = gather(model, ui.indices(), from, k);
            float[] values = Arrays.copyOfRange(ui.values(), from, from + k);
            values[0] = 0f; // ignored entry: a zero row
            float[] uj = new float[k * d];
            assertTrue(foldIn.contributionVectors(side, history, values, k, uj));
            foldIn.foldIn(side, history, values, k, user);
            for (int i = 0; i < d; i++) {
                double sum = 0;
                for (int j = 0; j < k; j++) {
                    sum += uj[j * d + i];
                }
                assertEquals(user[i], sum, 1e-4 * Math.max(1, Math.abs(user[i])), "user " + u + " component " + i);
            }
            for (int i = 0; i < model.items(); i += 17) {
                System.arraycopy(model.itemFactors(), i * d, item, 0, d);
                float[] contributions = new float[k];
                foldIn.explain(side, history, values, k, item, contributions);
                for (int j = 0; j < k; j++) {
                    float c = Vectors.dot(item, 0, uj, j * d, d);
                    assertEquals(contributions[j], c, 1e-4 * Math.max(1, Math.abs(c)), "user " + u + " item " + i + " entry " + j);
                }
                checked++;
            }
        }
        assertTrue(checked > 20);
    }

    @Test
    void zeroRegularizationWithRankDeficientHistoryThrows() {
        // every item vector lies on the line (1, 2, 0): YtY and the history terms have rank 1 in 3 dimensions
        float[] items = { 1f, 2f, 0f, 2f, 4f, 0f, -1f, -2f, 0f };
        float[] gram = Gram.compute(items, 3, 3);
        float[] history = { 1f, 2f, 0f, 2f, 4f, 0f };
        float[] values = { 1f, 3f };
        ImplicitFoldIn foldIn = new ImplicitFoldIn(3);
        float[] out = new float[3];
        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
            () -> foldIn.foldIn(gram, 0f, Confidence.linear(1f), history, values, 2, out));
        assertEquals(-1, e.row());
        assertTrue(e.getMessage().contains("[regularization] (was [0.0])"), e.getMessage());
        assertThrows(NotPositiveDefiniteException.class,
            () -> foldIn.explain(gram, 0f, Confidence.linear(1f), history, values, 2, new float[] { 1f, 0f, 0f }, new float[2]));
        // a rank-deficient history that is not aligned with the axes
        float[] skewItems = { 0.3f, -1.7f, 2.9f, -0.6f, 3.4f, -5.8f };
        float[] skewGram = Gram.compute(skewItems, 2, 3);
        assertThrows(NotPositiveDefiniteException.class,
            () -> foldIn.foldIn(skewGram, 0f, Confidence.linear(1f), skewItems, new float[] { 1f, 2f }, 2, out));
        // the same history is fine with regularization
        foldIn.foldIn(gram, 0.01f, Confidence.linear(1f), history, values, 2, out);
        assertTrue(Float.isFinite(out[0]) && out[0] != 0f);
    }

    @Test
    void emptyOrUnobservedHistoryGivesZero() {
        ImplicitFoldIn foldIn = new ImplicitFoldIn(2);
        float[] out = { 5f, 5f };
        foldIn.foldIn(new float[] { 1f, 0f, 0f, 1f }, 0f, Confidence.linear(1f), new float[] { 1f, 1f }, new float[] { 0f }, 1, out);
        assertEquals(0f, out[0]);
        assertEquals(0f, out[1]);
    }

    private static float[] gather(FactorModel model, int[] indices, int from, int k) {
        int d = model.factors();
        float[] out = new float[k * d];
        for (int j = 0; j < k; j++) {
            System.arraycopy(model.itemFactors(), indices[from + j] * d, out, j * d, d);
        }
        return out;
    }
}
