package dev.mfrecs.trainer.train;

import dev.mfrecs.contract.ExplicitTerms;
import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.contract.ModelAlgorithm;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.contract.TrainingSummary;
import dev.mfrecs.factorization.BiasedModel;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.ExplicitAls;
import dev.mfrecs.factorization.ExplicitAlsParams;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelArtifacts;

import java.util.Locale;
import java.util.Map;

/**
 * Trains explicit ALS with biases (r_hat = mu + b_u + b_i + p_u.q_i) and publishes it so Elasticsearch's kNN ranks by
 * predicted rating: item vectors are augmented to (q_i, b_i) and user vectors to (p_u, 1), whose inner product is
 * b_i + p_u.q_i, the predicted rating minus the per-user constant mu + b_u. The metadata keeps mu, the regularization
 * and the rating scale for query-time fold-in and for clamping predictions; the biases are also written as fields.
 */
public final class ExplicitTrainer {

    private ExplicitTrainer() {}

    public static ModelArtifacts train(String model, InteractionMatrix data, ExplicitAlsParams params, InteractionRecipe recipe,
                                       ProgressLog log) {
        CsrMatrix m = data.userItems();
        log.step("training explicit ALS with biases: " + m.rows() + " users x " + m.cols() + " items, " + m.nnz() + " ratings, d="
            + params.factors() + ", " + params.iterations() + " iterations");
        long start = System.nanoTime();
        BiasedModel b = ExplicitAls.train(m, params, (it, total, seconds) -> log.step(String.format(Locale.ROOT, "iteration %d/%d (%.2fs)",
            it, total, seconds)));
        // A last user half-sweep against the final items, so stored users equal what fold-in computes from their ratings.
        ExplicitAls.halfSweep(m, b.itemFactors(), b.itemBias(), b.items(), b.globalMean(), b.userFactors(), b.userBias(), params);
        double seconds = (System.nanoTime() - start) / 1e9;
        int d = params.factors();
        int dims = d + 1;
        float[] items = new float[b.items() * dims];
        for (int i = 0; i < b.items(); i++) {
            System.arraycopy(b.itemFactors(), i * d, items, i * dims, d);
            items[i * dims + d] = b.itemBias()[i];
        }
        float[] users = new float[b.users() * dims];
        for (int u = 0; u < b.users(); u++) {
            System.arraycopy(b.userFactors(), u * d, users, u * dims, d);
            users[u * dims + d] = 1f;
        }
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (int k = 0; k < m.nnz(); k++) {
            min = Math.min(min, m.values()[k]);
            max = Math.max(max, m.values()[k]);
        }
        float[] popularity = TrainingRecord.popularity(m);
        TrainingSummary summary = TrainingRecord.summary("local", params.iterations(), "cholesky", params.seed(), m, data.events(), seconds,
            params.iterations() == 0 ? 0 : seconds / params.iterations(), Map.of("threads", params.threads()));
        ModelMetadata metadata = new ModelMetadata(model, 0, ModelAlgorithm.ALS, d, params.regularization(), m.rows(), m.cols(), null,
            new ExplicitTerms(b.globalMean(), min, max), recipe, null, TrainingRecord.popularItems(data.items().ids(), popularity),
            summary);
        log.step(String.format(Locale.ROOT, "trained in %.2fs", seconds));
        return new ModelArtifacts(metadata, data.items().ids(), items, b.itemBias(), popularity, data.users().ids(), users, b.userBias(),
            m);
    }
}
