package dev.mfrecs.trainer.train;

import java.util.List;
import java.util.Map;

/**
 * What an offline run produced, in the user's ids: row-major factors ({@code ids x factors}), the biases of rating models
 * ({@code null} for dot-product models) and the metadata {@code model.json} records. One shape for all algorithms so the
 * file writer has a single code path.
 */
public record TrainedModel(
    Algorithm algorithm,
    int factors,
    List<String> userIds,
    float[] userFactors,
    float[] userBias,
    List<String> itemIds,
    float[] itemFactors,
    float[] itemBias,
    Map<String, Object> metadata
) {
    public TrainedModel {
        if (userFactors.length != (long) userIds.size() * factors || itemFactors.length != (long) itemIds.size() * factors) {
            throw new IllegalArgumentException("TrainedModel: factor arrays do not match [" + userIds.size() + "] users, ["
                + itemIds.size() + "] items and [" + factors + "] factors");
        }
        if ((userBias == null) != (algorithm.biased() == false) || (itemBias == null) != (algorithm.biased() == false)) {
            throw new IllegalArgumentException("TrainedModel: algorithm [" + algorithm.cliName() + "] biases must be "
                + (algorithm.biased() ? "present" : "absent"));
        }
    }
}
