package dev.mfrecs.factorization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Checks SGD matrix factorization on the same synthetic ratings as explicit ALS: accuracy, convergence, seeding. */
class FunkSvdTest {

    private static final SyntheticData.RatingsSplit DATA = ExplicitAlsTest.DATA;
    private static final FunkSvdParams PARAMS = new FunkSvdParams(5, 60, 0.01f, 0.05f, 0.1f, 3L);

    @Test
    void heldOutRmseBeatsBaselineAndBound() {
        int[] epochs = { 0 };
        BiasedModel model = FunkSvd.train(DATA.train(), PARAMS, (i, n, s) -> epochs[0]++);
        assertTrue(epochs[0] == PARAMS.epochs());
        double rmse = ExplicitAlsTest.testRmse(DATA, model);
        double baseline = ExplicitAlsTest.globalMeanRmse(DATA);
        double bound = 0.5 * DATA.testStdDev();
        assertTrue(rmse < bound, "test RMSE " + rmse + " not below half the rating std dev " + bound);
        assertTrue(rmse < 0.6 * baseline, "test RMSE " + rmse + " not well below the global-mean baseline " + baseline);
    }

    @Test
    void trainingErrorFallsWithEpochs() {
        double few = ExplicitAls.rmse(DATA.train(), FunkSvd.train(DATA.train(), new FunkSvdParams(5, 2, 0.01f, 0.05f, 0.1f, 3L), null),
            -100f, 100f);
        double many = ExplicitAls.rmse(DATA.train(), FunkSvd.train(DATA.train(), PARAMS, null), -100f, 100f);
        assertTrue(many < 0.8 * few, "train RMSE after 60 epochs " + many + " vs after 2 " + few);
    }

    @Test
    void seededAndReproducible() {
        BiasedModel a = FunkSvd.train(DATA.train(), new FunkSvdParams(4, 3, 0.01f, 0.05f, 0.1f, 9L), null);
        BiasedModel b = FunkSvd.train(DATA.train(), new FunkSvdParams(4, 3, 0.01f, 0.05f, 0.1f, 9L), null);
        BiasedModel c = FunkSvd.train(DATA.train(), new FunkSvdParams(4, 3, 0.01f, 0.05f, 0.1f, 10L), null);
        assertArrayEquals(a.userFactors(), b.userFactors());
        assertArrayEquals(a.itemBias(), b.itemBias());
        assertTrue(Arrays.equals(a.userFactors(), c.userFactors()) == false);
        assertThrows(IllegalArgumentException.class, () -> new FunkSvdParams(4, 3, 0f, 0.05f, 0.1f, 9L));
    }
}
