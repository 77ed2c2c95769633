package dev.mfrecs.evaluation;

import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.PureSvd;
import dev.mfrecs.factorization.PureSvdParams;
import dev.mfrecs.factorization.SvdModel;

/** PureSVD in the evaluation harness: scores {@code r_u V V^T}; new users fold in by the same projection ({@link PureSvd#foldIn}). */
public final class PureSvdRecommender implements Recommender {

    private final PureSvdParams params;
    private SvdModel model;

    public PureSvdRecommender(PureSvdParams params) {
        this.params = params;
    }

    @Override
    public int fit(CsrMatrix train) {
        model = PureSvd.train(train, params);
        return 0;
    }

    @Override
    public void scoreUser(int u, float[] out) {
        Scoring.dotAll(model.userFactors(), u * model.factors(), model.itemFactors(), model.items(), model.factors(), null, out);
    }

    @Override
    public void scoreHistory(int[] items, float[] values, int n, float[] out) {
        int d = model.factors();
        float[] user = new float[d];
        PureSvd.foldIn(Scoring.pack(model.itemFactors(), d, items, n), values, n, d, user);
        Scoring.dotAll(user, 0, model.itemFactors(), model.items(), d, null, out);
    }
}
