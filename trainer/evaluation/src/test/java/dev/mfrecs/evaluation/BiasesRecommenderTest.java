package dev.mfrecs.evaluation;

import dev.mfrecs.factorization.CsrMatrix;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The biases baseline on cases small enough to check by hand, its fixed point, fold-in and ranking. */
class BiasesRecommenderTest {

    private static final double EPS = 1e-5;

    /** u0: i0 = 5, i1 = 3; u1: i0 = 4; u2: i1 = 1. mu = 13 / 4 = 3.25. */
    private static CsrMatrix small() {
        return CsrMatrix.fromTriplets(3, 2, new int[] { 0, 0, 1, 2 }, new int[] { 0, 1, 0, 1 }, new float[] { 5, 3, 4, 1 }, 4);
    }

    @Test
    void oneSweepIsTheTwoStepClosedForm() {
        BiasesRecommender rec = new BiasesRecommender(1, 1f);
        assertEquals(1, rec.fit(small()));
        assertEquals(3.25, rec.mean(), EPS);
        // items first, with b_u = 0: b_i0 = ((5 - 3.25) + (4 - 3.25)) / (1 + 2) = 2.5 / 3; b_i1 = ((3 - 3.25) + (1 - 3.25)) / 3
        double bi0 = 2.5 / 3;
        double bi1 = -2.5 / 3;
        assertEquals(bi0, rec.itemBias()[0], EPS);
        assertEquals(bi1, rec.itemBias()[1], EPS);
        // then users: b_u0 = ((5 - 3.25 - bi0) + (3 - 3.25 - bi1)) / (1 + 2) = 1.5 / 3;
        // b_u1 = (4 - 3.25 - bi0) / (1 + 1); b_u2 = (1 - 3.25 - bi1) / (1 + 1)
        double bu0 = 0.5;
        double bu1 = (0.75 - bi0) / 2;
        double bu2 = (-2.25 - bi1) / 2;
        assertEquals(bu0, rec.userBias()[0], EPS);
        assertEquals(bu1, rec.userBias()[1], EPS);
        assertEquals(bu2, rec.userBias()[2], EPS);
        assertEquals(3.25 + bu0 + bi1, rec.predict(0, 1), EPS);
        assertEquals(3.25 + bu2 + bi0, rec.predict(2, 0), EPS);
    }

    @Test
    void scoresRankByItemBiasAndFoldInUsesTheUserStep() {
        BiasesRecommender rec = new BiasesRecommender(1, 1f);
        rec.fit(small());
        float[] out = new float[2];
        rec.scoreUser(1, out);
        assertEquals(rec.predict(1, 0), out[0], EPS);
        assertEquals(rec.predict(1, 1), out[1], EPS);
        assertTrue(out[0] > out[1], "item 0 has the higher bias");
        // a new user who rated item 0 with 5: b = (5 - 3.25 - 2.5 / 3) / (1 + 1)
        rec.scoreHistory(new int[] { 0 }, new float[] { 5 }, 1, out);
        double b = (1.75 - 2.5 / 3) / 2;
        assertEquals(3.25 + b + 2.5 / 3, out[0], EPS);
        assertEquals(3.25 + b - 2.5 / 3, out[1], EPS);
    }

    @Test
    void withoutRegularizationAnAdditiveMatrixIsFittedExactly() {
        // r_ui = 2 + a_u + c_i on every cell lies in the model's span: alternating least squares must reach it
        double[] a = { -1, 0.5, 0.25, 1 };
        double[] c = { 0.75, -0.5, 1.5 };
        int n = a.length * c.length;
        int[] rows = new int[n];
        int[] cols = new int[n];
        float[] vals = new float[n];
        for (int u = 0, p = 0; u < a.length; u++) {
            for (int i = 0; i < c.length; i++, p++) {
                rows[p] = u;
                cols[p] = i;
                vals[p] = (float) (2 + a[u] + c[i]);
            }
        }
        BiasesRecommender rec = new BiasesRecommender(20, 0f);
        rec.fit(CsrMatrix.fromTriplets(a.length, c.length, rows, cols, vals, n));
        for (int p = 0; p < n; p++) {
            assertEquals(vals[p], rec.predict(rows[p], cols[p]), 1e-4, "cell " + rows[p] + ", " + cols[p]);
        }
    }

    @Test
    void convergedBiasesSatisfyTheRegularizedNormalEquations() {
        SplittableRandom random = new SplittableRandom(3);
        int users = 40;
        int items = 25;
        int n = 300;
        int[] rows = new int[n];
        int[] cols = new int[n];
        float[] vals = new float[n];
        boolean[] taken = new boolean[users * items];
        for (int p = 0; p < n; p++) {
            int cell;
            do {
                cell = random.nextInt(users * items);
            } while (taken[cell]);
            taken[cell] = true;
            rows[p] = cell / items;
            cols[p] = cell % items;
            vals[p] = 1 + random.nextInt(5);
        }
        float lambda = 2f;
        BiasesRecommender rec = new BiasesRecommender(200, lambda);
        rec.fit(CsrMatrix.fromTriplets(users, items, rows, cols, vals, n));
        double[] userResidual = new double[users];
        double[] itemResidual = new double[items];
        int[] userCount = new int[users];
        int[] itemCount = new int[items];
        for (int p = 0; p < n; p++) {
            double r = vals[p] - rec.mean() - rec.userBias()[rows[p]] - rec.itemBias()[cols[p]];
            userResidual[rows[p]] += r;
            itemResidual[cols[p]] += r;
            userCount[rows[p]]++;
            itemCount[cols[p]]++;
        }
        // gradient of the objective: sum of residuals = lambda * bias, for every user and every item
        for (int u = 0; u < users; u++) {
            assertEquals(lambda * rec.userBias()[u], userResidual[u], 1e-3, "user " + u + " with " + userCount[u] + " ratings");
        }
        for (int i = 0; i < items; i++) {
            assertEquals(lambda * rec.itemBias()[i], itemResidual[i], 1e-3, "item " + i + " with " + itemCount[i] + " ratings");
        }
    }

    @Test
    void invalidParametersNameTheParameter() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BiasesRecommender(0, 1f));
        assertEquals("[iterations] of model [biases] must be >= 1 (was [0])", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.of("biases", Map.of("bias-regularization", "-1.0")));
        assertEquals("[--param] [bias-regularization] must be finite and >= 0 (was [-1.0])", e.getMessage());
    }
}
