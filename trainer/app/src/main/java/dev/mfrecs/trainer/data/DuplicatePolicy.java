package dev.mfrecs.trainer.data;

/**
 * What one (user, item) pair's value is when the input holds it several times. Exists because the two kinds of data need
 * opposite answers: implicit events (views, plays, purchases) are evidence that adds up, while an explicit rating is an
 * opinion that a later or repeated rating replaces or averages, never adds to.
 */
public enum DuplicatePolicy {
    /** Implicit feedback: values are summed; pairs whose sum is {@code <= 0} are dropped (returns cancel purchases). */
    SUM,
    /** Explicit ratings: the value read last wins; every pair is kept, whatever its value. */
    LAST,
    /** Explicit ratings: the mean of the values read; every pair is kept, whatever its value. */
    MEAN;

    /** True for the explicit-rating policies, which keep zero and negative values as ratings. */
    public boolean keepsNonPositive() {
        return this != SUM;
    }
}
