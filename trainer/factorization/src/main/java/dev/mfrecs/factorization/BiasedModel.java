package dev.mfrecs.factorization;

/**
 * A rating model {@code r_hat(u, i) = mu + b_u + b_i + p_u . q_i}, the common output of {@link ExplicitAls} and {@link FunkSvd}, so
 * serving code handles both identically. Factor arrays are row-major ({@code users x factors}, {@code items x factors}) and shared,
 * not copied.
 */
public record BiasedModel(int factors, int users, int items, float globalMean, float[] userBias, float[] itemBias, float[] userFactors,
                          float[] itemFactors) {

    public BiasedModel {
        if (factors <= 0 || users < 0 || items < 0) {
            throw new IllegalArgumentException("BiasedModel: [factors] must be > 0 and [users], [items] >= 0 (was [" + factors + "], ["
                + users + "], [" + items + "])");
        }
        CsrMatrix.requireLength("BiasedModel", "userBias", userBias.length, users);
        CsrMatrix.requireLength("BiasedModel", "itemBias", itemBias.length, items);
        CsrMatrix.requireLength("BiasedModel", "userFactors", userFactors.length, (long) users * factors);
        CsrMatrix.requireLength("BiasedModel", "itemFactors", itemFactors.length, (long) items * factors);
    }

    /** The unclamped prediction {@code mu + b_u + b_i + p_u . q_i}. */
    public float score(int u, int i) {
        return globalMean + userBias[u] + itemBias[i] + Vectors.dot(userFactors, u * factors, itemFactors, i * factors, factors);
    }

    /** The prediction clamped to the rating scale {@code [min, max]}. */
    public float predict(int u, int i, float min, float max) {
        return Math.max(min, Math.min(max, score(u, i)));
    }
}
