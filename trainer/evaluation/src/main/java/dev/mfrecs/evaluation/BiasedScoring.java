package dev.mfrecs.evaluation;

import dev.mfrecs.factorization.BiasedModel;
import dev.mfrecs.factorization.ExplicitFoldIn;

/** Scoring shared by the two biased rating models ({@code als}, {@code funk}): all items for a user, and fold-in of a history. */
final class BiasedScoring {

    private BiasedScoring() {}

    static void scoreUser(BiasedModel model, int u, float[] out) {
        int d = model.factors();
        Scoring.dotAll(model.userFactors(), u * d, model.itemFactors(), model.items(), d, model.itemBias(), out);
        float shift = model.globalMean() + model.userBias()[u];
        for (int i = 0; i < model.items(); i++) {
            out[i] += shift;
        }
    }

    /** Folds the history in with {@link ExplicitFoldIn} (the explicit-ALS row solve) and scores every item. */
    static void scoreHistory(BiasedModel model, float regularization, int[] items, float[] values, int n, float[] out) {
        int d = model.factors();
        float[] biases = new float[n];
        for (int j = 0; j < n; j++) {
            biases[j] = model.itemBias()[items[j]];
        }
        float[] user = new float[d];
        float bias = new ExplicitFoldIn(d).foldIn(model.globalMean(), regularization, Scoring.pack(model.itemFactors(), d, items, n),
            biases, values, n, user);
        Scoring.dotAll(user, 0, model.itemFactors(), model.items(), d, model.itemBias(), out);
        float shift = model.globalMean() + bias;
        for (int i = 0; i < model.items(); i++) {
            out[i] += shift;
        }
    }
}
