package dev.mfrecs.trainer.eval;

import dev.mfrecs.factorization.BiasedModel;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.ExplicitAls;
import dev.mfrecs.factorization.ExplicitAlsParams;

/**
 * Explicit ALS with biases in the evaluation harness: ranks by the unclamped rating prediction {@code mu + b_u + b_i + p_u . q_i}
 * (the stored values are taken as ratings), folds new users in with {@link dev.mfrecs.factorization.ExplicitFoldIn}.
 */
public final class ExplicitAlsRecommender implements Recommender {

    private final ExplicitAlsParams params;
    private BiasedModel model;

    public ExplicitAlsRecommender(ExplicitAlsParams params) {
        this.params = params;
    }

    @Override
    public int fit(CsrMatrix train) {
        model = ExplicitAls.train(train, params, null);
        return params.iterations();
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

    public BiasedModel model() {
        return model;
    }
}
