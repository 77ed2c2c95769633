package dev.mfrecs.evaluation;

import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.FactorModel;
import dev.mfrecs.factorization.Gram;
import dev.mfrecs.factorization.ImplicitAls;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.ImplicitFoldIn;

/** Implicit ALS in the evaluation harness: stored user vectors for training users, {@link ImplicitFoldIn} for new ones. */
public final class IalsRecommender implements Recommender {

    private final ImplicitAlsParams params;
    private FactorModel model;
    private float[] gram;

    public IalsRecommender(ImplicitAlsParams params) {
        this.params = params;
    }

    @Override
    public int fit(CsrMatrix train) {
        model = ImplicitAls.train(train, params, null);
        gram = Gram.compute(model.itemFactors(), model.items(), model.factors());
        return params.iterations();
    }

    @Override
    public void scoreUser(int u, float[] out) {
        Scoring.dotAll(model.userFactors(), u * model.factors(), model.itemFactors(), model.items(), model.factors(), null, out);
    }

    @Override
    public void scoreHistory(int[] items, float[] values, int n, float[] out) {
        float[] user = foldIn(items, values, n);
        Scoring.dotAll(user, 0, model.itemFactors(), model.items(), model.factors(), null, out);
    }

    /** The folded-in vector of a history (exact least squares against the item side, as the plugin does at query time). */
    public float[] foldIn(int[] items, float[] values, int n) {
        float[] user = new float[model.factors()];
        new ImplicitFoldIn(model.factors()).foldIn(gram, params.regularization(), params.confidence(),
            Scoring.pack(model.itemFactors(), model.factors(), items, n), values, n, user);
        return user;
    }

    /** Each history entry's contribution to {@code item}'s score (Hu et al. 2008, section 5); they sum to the returned score. */
    public float explain(int[] items, float[] values, int n, int item, float[] contributions) {
        int d = model.factors();
        float[] itemVector = new float[d];
        System.arraycopy(model.itemFactors(), item * d, itemVector, 0, d);
        return new ImplicitFoldIn(d).explain(gram, params.regularization(), params.confidence(),
            Scoring.pack(model.itemFactors(), d, items, n), values, n, itemVector, contributions);
    }

    public FactorModel model() {
        return model;
    }
}
