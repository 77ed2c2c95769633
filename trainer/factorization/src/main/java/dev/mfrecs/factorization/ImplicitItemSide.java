package dev.mfrecs.factorization;

/**
 * Everything an implicit-ALS fold-in or explanation needs from the fixed item side, as one value: the item Gram matrix
 * {@code YtY}, the number of items it was computed over ({@code |I|}, which the Rendle et al. regularization scales with), the
 * regularization {@code lambda}, the confidence function and the Rendle options the model was trained with. The model metadata
 * hands it to {@link ImplicitFoldIn} whole, so no caller can pass the five in the wrong order or forget one.
 *
 * @param gram           {@code YtY}, {@code d x d} row-major, as {@link Gram#compute} returns it (unscaled)
 * @param items          {@code |I|}, {@code >= 0}
 * @param regularization {@code lambda}, finite and {@code >= 0}
 * @param confidence     raw value to confidence mapping
 * @param rendle         unobserved weight and regularization exponent; {@link ImplicitAlsParams.Rendle#NONE} for classic iALS
 */
public record ImplicitItemSide(float[] gram, int items, float regularization, Confidence confidence, ImplicitAlsParams.Rendle rendle) {

    public ImplicitItemSide {
        if (gram == null || gram.length == 0) {
            throw new IllegalArgumentException("ImplicitItemSide: [gram] must hold d x d values");
        }
        int d = (int) Math.round(Math.sqrt(gram.length));
        if (d * d != gram.length) {
            throw new IllegalArgumentException("ImplicitItemSide: [gram] has [" + gram.length + "] values, not a square d x d");
        }
        if (items < 0) {
            throw new IllegalArgumentException("ImplicitItemSide: [items] must be >= 0 (was [" + items + "])");
        }
        if (Float.isFinite(regularization) == false || regularization < 0) {
            throw new IllegalArgumentException("ImplicitItemSide: [regularization] must be finite and >= 0 (was [" + regularization + "])");
        }
        if (confidence == null) {
            throw new IllegalArgumentException("ImplicitItemSide: [confidence] must not be null");
        }
        if (rendle == null) {
            throw new IllegalArgumentException("ImplicitItemSide: [rendle] must not be null (use Rendle.NONE)");
        }
    }

    /** The latent dimension {@code d}. */
    public int factors() {
        return (int) Math.round(Math.sqrt(gram.length));
    }
}
