package dev.mfrecs.trainer.publish;

import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.factorization.CsrMatrix;

import java.util.List;

/**
 * Everything one training run produced that a model version publishes: the typed metadata (version still unassigned), item
 * and user vectors (flat, row-major, already augmented for explicit models), the biases of explicit models (written next to
 * the vectors, null otherwise), the users' training histories (for exclude-seen and explanations) and item popularity (for the
 * empty-history fallback).
 */
public record ModelArtifacts(
    ModelMetadata metadata,
    List<String> itemIds,
    float[] itemVectors,
    float[] itemBias,
    float[] itemPopularity,
    List<String> userIds,
    float[] userVectors,
    float[] userBias,
    CsrMatrix userItems
) {
    public ModelArtifacts {
        int d = metadata.vectorDims();
        if (itemVectors.length != (long) itemIds.size() * d) {
            throw new IllegalArgumentException("item vectors have [" + itemVectors.length + "] values, expected [" + itemIds.size() + " x "
                + d + "]");
        }
        if (userVectors.length != (long) userIds.size() * d) {
            throw new IllegalArgumentException("user vectors have [" + userVectors.length + "] values, expected [" + userIds.size() + " x "
                + d + "]");
        }
        if ((itemBias != null && itemBias.length != itemIds.size()) || (userBias != null && userBias.length != userIds.size())) {
            throw new IllegalArgumentException("biases must have one value per item and per user");
        }
        requireFinite("item vectors", itemVectors);
        requireFinite("user vectors", userVectors);
    }

    private static void requireFinite(String what, float[] values) {
        for (float v : values) {
            if (Float.isFinite(v) == false) {
                throw new IllegalArgumentException(what + " contain a non-finite value [" + v + "]; refusing to publish");
            }
        }
    }

    public String model() {
        return metadata.model();
    }

    public int vectorDims() {
        return metadata.vectorDims();
    }
}
