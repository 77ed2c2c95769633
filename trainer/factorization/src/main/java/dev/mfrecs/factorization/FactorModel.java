package dev.mfrecs.factorization;

/**
 * The result of an implicit factorization: user and item vectors as row-major flat arrays ({@code users x factors} and
 * {@code items x factors}); the predicted preference of user {@code u} for item {@code i} is the dot product of their rows.
 * The arrays are shared, not copied.
 */
public record FactorModel(int factors, int users, int items, float[] userFactors, float[] itemFactors) {

    public FactorModel {
        if (factors <= 0 || users < 0 || items < 0) {
            throw new IllegalArgumentException("FactorModel: [factors] must be > 0 and [users], [items] >= 0 (was [" + factors + "], ["
                + users + "], [" + items + "])");
        }
        if (userFactors.length != (long) users * factors) {
            throw new IllegalArgumentException("FactorModel: [userFactors] length [" + userFactors.length + "] != users * factors ["
                + (long) users * factors + "]");
        }
        if (itemFactors.length != (long) items * factors) {
            throw new IllegalArgumentException("FactorModel: [itemFactors] length [" + itemFactors.length + "] != items * factors ["
                + (long) items * factors + "]");
        }
    }

    /** The dot product of user {@code u}'s and item {@code i}'s vectors. */
    public float score(int u, int i) {
        return Vectors.dot(userFactors, u * factors, itemFactors, i * factors, factors);
    }
}
