package dev.mfrecs.factorization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Checks biased explicit ALS on synthetic low-rank ratings: accuracy, monotone objective, determinism, fold-in. */
class ExplicitAlsTest {

    /** 300 x 200, rank 3, 30% observed, 10% of those held out, noise std 0.3 (ratings std is about 1.1). */
    static final SyntheticData.RatingsSplit DATA = SyntheticData.biasedRatings(300, 200, 3, 0.3, 0.1, 0.3, 2024);

    private static final ExplicitAlsParams PARAMS = new ExplicitAlsParams(5, 10, 0.05f, 7L, 2);

    /** RMSE of clamped predictions on the held-out ratings. */
    static double testRmse(SyntheticData.RatingsSplit data, BiasedModel model) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : data.train().values()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int j = 0; j < data.testRatings().length; j++) {
            float prediction = model.predict(data.testUsers()[j], data.testItems()[j], min, max);
            assertTrue(prediction >= min && prediction <= max);
            double err = data.testRatings()[j] - prediction;
            sum += err * err;
        }
        return Math.sqrt(sum / data.testRatings().length);
    }

    /** RMSE of always predicting the training mean. */
    static double globalMeanRmse(SyntheticData.RatingsSplit data) {
        double mean = ExplicitAls.globalMean(data.train());
        double sum = 0;
        for (float r : data.testRatings()) {
            sum += (r - mean) * (r - mean);
        }
        return Math.sqrt(sum / data.testRatings().length);
    }

    @Test
    void heldOutRmseBeatsBaselineAndBound() {
        BiasedModel model = ExplicitAls.train(DATA.train(), PARAMS, TrainingListener.NONE);
        double rmse = testRmse(DATA, model);
        double baseline = globalMeanRmse(DATA);
        double bound = 0.5 * DATA.testStdDev();
        assertTrue(rmse < bound, "test RMSE " + rmse + " not below half the rating std dev " + bound);
        assertTrue(rmse < 0.6 * baseline, "test RMSE " + rmse + " not well below the global-mean baseline " + baseline);
    }

    @Test
    void objectiveNeverIncreases() {
        double previous = Double.POSITIVE_INFINITY;
        for (int iterations = 1; iterations <= 6; iterations++) {
            ExplicitAlsParams p = new ExplicitAlsParams(5, iterations, 0.05f, 7L, 1);
            double loss = ExplicitAls.loss(DATA.train(), ExplicitAls.train(DATA.train(), p, null), p.regularization());
            assertTrue(loss <= previous * (1 + 1e-6), "iteration " + iterations + ": " + loss + " > " + previous);
            previous = loss;
        }
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        BiasedModel one = ExplicitAls.train(DATA.train(), new ExplicitAlsParams(5, 3, 0.05f, 7L, 1), null);
        BiasedModel three = ExplicitAls.train(DATA.train(), new ExplicitAlsParams(5, 3, 0.05f, 7L, 3), null);
        assertArrayEquals(one.userFactors(), three.userFactors());
        assertArrayEquals(one.itemFactors(), three.itemFactors());
        assertArrayEquals(one.userBias(), three.userBias());
        assertArrayEquals(one.itemBias(), three.itemBias());
    }

    @Test
    void foldInReproducesUserHalfSweep() {
        CsrMatrix ratings = DATA.train();
        BiasedModel model = ExplicitAls.train(ratings, PARAMS, null);
        ExplicitAls.halfSweep(ratings, model.itemFactors(), model.itemBias(), model.items(), model.globalMean(), model.userFactors(),
            model.userBias(), PARAMS);
        int d = model.factors();
        ExplicitFoldIn foldIn = new ExplicitFoldIn(d);
        float[] out = new float[d];
        for (int u = 0; u < model.users(); u += 11) {
            int from = ratings.indptr()[u];
            int k = ratings.indptr()[u + 1] - from;
            float[] vectors = new float[k * d];
            float[] biases = new float[k];
            for (int j = 0; j < k; j++) {
                int i = ratings.indices()[from + j];
                System.arraycopy(model.itemFactors(), i * d, vectors, j * d, d);
                biases[j] = model.itemBias()[i];
            }
            float[] values = Arrays.copyOfRange(ratings.values(), from, from + k);
            float bias = foldIn.foldIn(model.globalMean(), PARAMS.regularization(), vectors, biases, values, k, out);
            assertEquals(model.userBias()[u], bias, 1e-4, "bias of user " + u);
            for (int j = 0; j < d; j++) {
                assertEquals(model.userFactors()[u * d + j], out[j], 1e-4, "user " + u + " component " + j);
            }
        }
    }

    @Test
    void biasesAloneFitAnAdditiveMatrix() {
        // r = 3 + a_u + c_i exactly: the fitted biases must explain it (factors then carry nothing)
        int users = 30;
        int items = 20;
        int[] rows = new int[users * items];
        int[] cols = new int[users * items];
        float[] vals = new float[users * items];
        for (int u = 0, p = 0; u < users; u++) {
            for (int i = 0; i < items; i++, p++) {
                rows[p] = u;
                cols[p] = i;
                vals[p] = 3f + 0.1f * (u % 7) - 0.2f * (i % 5);
            }
        }
        CsrMatrix m = CsrMatrix.fromTriplets(users, items, rows, cols, vals, vals.length);
        BiasedModel model = ExplicitAls.train(m, new ExplicitAlsParams(2, 20, 1e-4f, 1L, 1), null);
        assertTrue(ExplicitAls.rmse(m, model, 0f, 10f) < 1e-2, "rmse " + ExplicitAls.rmse(m, model, 0f, 10f));
        float score = model.score(0, 0);
        assertEquals(3f, score, 1e-2f);
        assertEquals(score - 0.5f, model.predict(0, 0, 1f, score - 0.5f), "clamped to max");
        assertEquals(score + 0.5f, model.predict(0, 0, score + 0.5f, 9f), "clamped to min");
    }

    @Test
    void zeroRegularizationSingularRowThrows() {
        // user 0 rated a single item: with lambda 0 the (d+1)x(d+1) system has rank 1
        CsrMatrix m = CsrMatrix.fromTriplets(2, 2, new int[] { 0, 1, 1 }, new int[] { 0, 0, 1 }, new float[] { 4f, 3f, 5f }, 3);
        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
            () -> ExplicitAls.train(m, new ExplicitAlsParams(3, 1, 0f, 1L, 1), null));
        assertEquals(0, e.row());
        assertThrows(IllegalArgumentException.class, () -> new ExplicitAlsParams(3, 1, -1f, 1L, 1));
    }
}
