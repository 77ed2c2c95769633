package dev.mfrecs.evaluation;

import dev.mfrecs.factorization.BiasedModel;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.ExplicitAls;
import dev.mfrecs.factorization.ExplicitAlsParams;
import dev.mfrecs.factorization.FunkSvd;
import dev.mfrecs.factorization.FunkSvdParams;

import java.util.function.Function;

/**
 * The rating models with biases in the evaluation harness, explicit ALS and Funk SVD: both rank by the unclamped
 * prediction {@code mu + b_u + b_i + p_u . q_i} (the stored values are taken as ratings) and fold new users in with the
 * explicit-ALS row solve ({@link dev.mfrecs.factorization.ExplicitFoldIn}) against the trained item side, which for
 * Funk SVD is an approximation (SGD has no closed-form fold-in). Only how the model is trained differs.
 */
public final class BiasedRecommender implements Recommender {

    private final Function<CsrMatrix, BiasedModel> trainer;
    private final int passes;
    private final float regularization;
    private BiasedModel model;

    private BiasedRecommender(Function<CsrMatrix, BiasedModel> trainer, int passes, float regularization) {
        this.trainer = trainer;
        this.passes = passes;
        this.regularization = regularization;
    }

    public static BiasedRecommender explicitAls(ExplicitAlsParams params) {
        return new BiasedRecommender(train -> ExplicitAls.train(train, params, null), params.iterations(), params.regularization());
    }

    public static BiasedRecommender funkSvd(FunkSvdParams params) {
        return new BiasedRecommender(train -> FunkSvd.train(train, params, null), params.epochs(), params.regularization());
    }

    @Override
    public int fit(CsrMatrix train) {
        model = trainer.apply(train);
        return passes;
    }

    @Override
    public void scoreUser(int u, float[] out) {
        BiasedScoring.scoreUser(model, u, out);
    }

    @Override
    public void scoreHistory(int[] items, float[] values, int n, float[] out) {
        BiasedScoring.scoreHistory(model, regularization, items, values, n, out);
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
