package dev.mfrecs.trainer.publish;

import dev.mfrecs.factorization.CsrMatrix;

import java.util.List;
import java.util.Map;

/**
 * Everything one training run produced that a model version publishes: item and user vectors (flat, row-major, already
 * augmented for explicit models), the users' training histories (for exclude-seen and explanations), item popularity
 * (for the empty-history fallback), and the metadata map (algorithm, parameters, Gram matrix, counts, timings).
 */
public record ModelArtifacts(
    String model,
    int vectorDims,
    List<String> itemIds,
    float[] itemVectors,
    float[] itemPopularity,
    List<String> userIds,
    float[] userVectors,
    CsrMatrix userItems,
    Map<String, Object> metadata
) {
    public ModelArtifacts {
        if (itemVectors.length != (long) itemIds.size() * vectorDims) {
            throw new IllegalArgumentException("item vectors have [" + itemVectors.length + "] values, expected [" + itemIds.size() + " x "
                + vectorDims + "]");
        }
        if (userVectors.length != (long) userIds.size() * vectorDims) {
            throw new IllegalArgumentException("user vectors have [" + userVectors.length + "] values, expected [" + userIds.size() + " x "
                + vectorDims + "]");
        }
        for (float v : itemVectors) {
            if (Float.isFinite(v) == false) {
                throw new IllegalArgumentException("item vectors contain a non-finite value [" + v + "]; refusing to publish");
            }
        }
        for (float v : userVectors) {
            if (Float.isFinite(v) == false) {
                throw new IllegalArgumentException("user vectors contain a non-finite value [" + v + "]; refusing to publish");
            }
        }
    }
}
