package dev.mfrecs.devkit.bench;

import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.contract.TrainingSummary;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.Gram;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.factorization.TopK;
import dev.mfrecs.trainer.publish.ModelArtifacts;
import dev.mfrecs.trainer.train.ImplicitTrainer;
import dev.mfrecs.trainer.train.TrainingRecord;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The synthetic model {@code bench-serving} and {@code bench-sweep} publish: item vectors whose norms vary as matrix-factorization
 * item norms do (popular items are longer), Gaussian user vectors, and a fixed number of random seen items per user (ids
 * {@code p<i>} and {@code u<u>}). One generator, so both benchmarks measure the same kind of model and their recall figures
 * compare; the caller's random draws the vectors first, then the seen items, and may go on drawing after.
 */
record SyntheticServingModel(int d, int items, int users, float[] itemVectors, float[] userVectors, CsrMatrix seen, List<String> itemIds,
                             List<String> userIds, float[] popularity) {

    /** Draws a model of {@code items} items and {@code users} users at dimension {@code d}, each user with {@code seenPerUser} items. */
    static SyntheticServingModel generate(SplittableRandom random, int d, int items, int users, int seenPerUser) {
        float[] itemVectors = new float[items * d];
        for (int i = 0; i < items; i++) {
            double scale = 0.05 + 0.3 * Math.pow(random.nextDouble(), 3);
            for (int j = 0; j < d; j++) {
                itemVectors[i * d + j] = (float) (random.nextGaussian() * scale);
            }
        }
        float[] userVectors = new float[users * d];
        for (int k = 0; k < userVectors.length; k++) {
            userVectors[k] = (float) random.nextGaussian();
        }
        int[] rows = new int[users * seenPerUser];
        int[] cols = new int[rows.length];
        float[] vals = new float[rows.length];
        for (int u = 0, n = 0; u < users; u++) {
            for (int s = 0; s < seenPerUser; s++, n++) {
                rows[n] = u;
                cols[n] = random.nextInt(items);
                vals[n] = 1f;
            }
        }
        CsrMatrix seen = CsrMatrix.fromTriplets(users, items, rows, cols, vals, rows.length);
        List<String> itemIds = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            itemIds.add("p" + i);
        }
        List<String> userIds = new ArrayList<>(users);
        for (int u = 0; u < users; u++) {
            userIds.add("u" + u);
        }
        float[] popularity = new float[items];
        Arrays.fill(popularity, 1f);
        return new SyntheticServingModel(d, items, users, itemVectors, userVectors, seen, itemIds, userIds, popularity);
    }

    /** The metadata of this model published as {@code model} with {@code recipe} (no training: 0 iterations). */
    ModelMetadata metadata(String model, InteractionRecipe recipe) {
        ImplicitAlsParams params = new ImplicitAlsParams(d, 0, 0.1f, Confidence.linear(1f), Solver.CHOLESKY, 1, 0L, 1);
        TrainingSummary summary = TrainingRecord.summary("bench", 0, "none", 0L, seen, seen.nnz(), 0, 0, Map.of());
        return ImplicitTrainer.metadata(model, params, Gram.compute(itemVectors, items, d), Gram.compute(userVectors, users, d), seen,
            recipe, TrainingRecord.popularItems(itemIds, popularity), summary);
    }

    /** What a version of this model publishes. */
    ModelArtifacts artifacts(ModelMetadata metadata) {
        return new ModelArtifacts(metadata, itemIds, itemVectors, null, popularity, userIds, userVectors, null, seen);
    }

    /** The exact top {@code k} item numbers for user {@code u}, the user's seen items excluded: what recall is measured against. */
    int[] exactTop(int u, int k) {
        Set<Integer> excluded = new HashSet<>();
        for (int p = seen.indptr()[u]; p < seen.indptr()[u + 1]; p++) {
            excluded.add(seen.indices()[p]);
        }
        return TopK.recommend(Arrays.copyOfRange(userVectors, u * d, (u + 1) * d), itemVectors, items, d, k, excluded::contains);
    }
}
