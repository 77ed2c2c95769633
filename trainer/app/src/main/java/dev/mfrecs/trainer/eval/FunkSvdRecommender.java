package dev.mfrecs.trainer.eval;

import dev.mfrecs.factorization.BiasedModel;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.FunkSvd;
import dev.mfrecs.factorization.FunkSvdParams;

/**
 * Funk SVD (SGD) in the evaluation harness. New users are folded in with the explicit-ALS row solve against Funk's item factors
 * and biases (SGD has no closed-form fold-in).
 */
public final class FunkSvdRecommender implements Recommender {

    private final FunkSvdParams params;
    private BiasedModel model;

    public FunkSvdRecommender(FunkSvdParams params) {
        this.params = params;
    }

    @Override
    public int fit(CsrMatrix train) {
        model = FunkSvd.train(train, params, null);
        return params.epochs();
    }

    @Override
    public void scoreUser(int u, float[] out) {
        BiasedScoring.scoreUser(model, u, out);
    }

    @Override
    public void scoreHistory(int[] items, float[] values, int n, float[] out) {
        BiasedScoring.scoreHistory(model, params.regularization(), items, values, n, out);
    }

    @Override
    public boolean predictsRatings() {
        return true;
    }

    @Override
    public float predict(int u, int i) {
        return model.score(u, i);
    }
}
