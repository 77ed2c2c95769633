package dev.mfrecs.factorization;

/**
 * How a raw implicit-feedback value {@code r > 0} becomes a confidence weight (Hu, Koren, Volinsky 2008, section 4): the choice exists
 * because counts with a heavy tail (plays, views) are better damped logarithmically while ratings-like signals suit a linear scale.
 */
public enum ConfidenceKind {
    /** {@code c = 1 + alpha * r}. */
    LINEAR,
    /** {@code c = 1 + alpha * ln(1 + r / epsilon)}. */
    LOG
}
