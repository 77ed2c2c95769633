package dev.mfrecs.factorization;

/**
 * Thrown when a row system of an ALS solve is not (numerically) positive definite, so the Cholesky factorization breaks down. This
 * happens only with too little regularization (typically {@code 0}) and a rank-deficient history; a dedicated type lets callers
 * tell it apart from programming errors and tell the user which knob to turn.
 */
public final class NotPositiveDefiniteException extends ArithmeticException {

    private final int row;
    private final int pivot;
    private final float regularization;

    /**
     * @param row            the data row (user or item) whose system failed, or {@code -1} for a query-time fold-in
     * @param pivot          the pivot of the {@code d x d} system at which the factorization broke down
     * @param regularization the regularization that was in effect
     */
    public NotPositiveDefiniteException(int row, int pivot, float regularization) {
        super((row >= 0 ? "cholesky failed at row [" + row + "]" : "cholesky failed in fold-in") + " (pivot [" + pivot
            + "]): matrix not positive definite; increase [regularization] (was [" + regularization + "])");
        this.row = row;
        this.pivot = pivot;
        this.regularization = regularization;
    }

    /** The data row (user or item) whose system failed, or {@code -1} for a fold-in. */
    public int row() {
        return row;
    }

    /** The pivot of the row system at which the factorization broke down. */
    public int pivot() {
        return pivot;
    }

    public float regularization() {
        return regularization;
    }
}
