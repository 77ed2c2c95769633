package dev.mfrecs.contract;

/**
 * The algorithms whose models can be published to a cluster, as the metadata names them. They differ in what the published
 * vectors mean and therefore in how the plugin folds a user in and explains a score: implicit ALS ranks by {@code x_u . y_i}
 * and folds in against the item Gram matrix; explicit ALS with biases publishes {@code (q_i, b_i)} and {@code (p_u, 1)} so
 * the inner product is the predicted rating minus the user's constant.
 */
public enum ModelAlgorithm {
    /** Implicit ALS (Hu, Koren, Volinsky 2008; optionally Rendle et al. 2021). */
    IALS("ials"),
    /** Explicit ALS with user and item biases. */
    ALS("als");

    private final String id;

    ModelAlgorithm(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The published vectors' dims for {@code factors} latent factors (explicit models append the bias). */
    public int vectorDims(int factors) {
        return this == ALS ? factors + 1 : factors;
    }

    public static ModelAlgorithm parse(String value) {
        for (ModelAlgorithm a : values()) {
            if (a.id.equals(value)) {
                return a;
            }
        }
        throw new IllegalArgumentException("algorithm must be one of [ials, als], got [" + value + "]");
    }
}
