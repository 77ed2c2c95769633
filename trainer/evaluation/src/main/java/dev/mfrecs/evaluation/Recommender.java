package dev.mfrecs.evaluation;

import dev.mfrecs.factorization.CsrMatrix;

/**
 * What the evaluation harness needs from a model, so factorization models and baselines are trained, scored and folded in through
 * one code path. {@link #scoreUser} may be called from several threads at once after {@link #fit}; implementations keep no
 * mutable scratch shared between calls.
 */
public interface Recommender {

    /** Trains on a users x items matrix; returns the number of iterations (epochs) run, 0 for non-iterative models. */
    int fit(CsrMatrix train);

    /** Writes a score for every item (higher is better) for training user {@code u} into {@code out}. */
    void scoreUser(int u, float[] out);

    /**
     * Writes a score for every item for a user the model was not trained on, given {@code n} (item, value) pairs; the fold-in path
     * of strong generalization and of the report's personas.
     */
    void scoreHistory(int[] items, float[] values, int n, float[] out);

    /** True for rating-prediction models, which {@link #predict} supports and which the ratings protocol requires. */
    default boolean predictsRatings() {
        return false;
    }

    /** The predicted rating of a training user for an item (rating models only). */
    default float predict(int u, int i) {
        throw new UnsupportedOperationException("not a rating model");
    }
}
