package dev.mfrecs.plugin;

import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.contract.ModelAlgorithm;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.contract.ImplicitTerms;
import dev.mfrecs.contract.TrainingSummary;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ImplicitAlsParams;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Model metadata for the plugin's tests, built through the contract as every trainer builds it, so a test cannot publish a
 * document the plugin would refuse in production.
 */
public final class TestModels {

    private TestModels() {}

    /** An implicit model of {@code factors = sqrt(gram.length)} over {@code items} items, reading the default interactions index. */
    public static ModelMetadata implicit(String model, int version, float[] gram, int items, float regularization, Confidence confidence) {
        return implicit(model, version, gram, items, regularization, confidence, InteractionRecipe.implicitEvents(InteractionFields
            .defaults("interactions")));
    }

    /** As {@link #implicit(String, int, float[], int, float, Confidence)}, reading events as {@code recipe} says. */
    public static ModelMetadata implicit(String model, int version, float[] gram, int items, float regularization, Confidence confidence,
                                         InteractionRecipe recipe) {
        int factors = (int) Math.round(Math.sqrt(gram.length));
        TrainingSummary training = new TrainingSummary("test", "test", Instant.parse("2026-11-30T00:00:00Z"), 1, "cholesky", 1L, 0L, 0L, 0,
            0, Map.of());
        return new ModelMetadata(model, version, ModelAlgorithm.IALS, factors, regularization, 0, items, new ImplicitTerms(confidence,
            ImplicitAlsParams.Rendle.NONE, gram, gram), null, recipe, null, List.of(), training);
    }

    /** An identity-Gram implicit model, for tests that only need a valid document. */
    public static Map<String, Object> identityDocument(String model, int version, int factors) {
        float[] gram = new float[factors * factors];
        for (int i = 0; i < factors; i++) {
            gram[i * factors + i] = 1f;
        }
        return implicit(model, version, gram, 10, 0.1f, Confidence.linear(1f)).toMap();
    }
}
