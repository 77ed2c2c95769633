package dev.mfrecs.factorization;

/**
 * The result of {@link PureSvd}: the top singular values and, as row-major factor arrays, item factors {@code V} (orthonormal
 * columns) and user factors {@code A V = U Sigma}, so that scores are {@code user . item}. See {@link PureSvd} for the conventions.
 */
public record SvdModel(int factors, int users, int items, float[] singularValues, float[] userFactors, float[] itemFactors) {

    public SvdModel {
        CsrMatrix.requireLength("SvdModel", "singularValues", singularValues.length, factors);
        CsrMatrix.requireLength("SvdModel", "userFactors", userFactors.length, (long) users * factors);
        CsrMatrix.requireLength("SvdModel", "itemFactors", itemFactors.length, (long) items * factors);
    }

    /** The same factors as a {@link FactorModel}, for code that serves any dot-product model. */
    public FactorModel toFactorModel() {
        return new FactorModel(factors, users, items, userFactors, itemFactors);
    }
}
