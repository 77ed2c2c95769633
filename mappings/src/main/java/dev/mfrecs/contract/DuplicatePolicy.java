package dev.mfrecs.contract;

import java.util.Locale;

/**
 * What one (user, item) pair's value is when the events hold it several times, and which pairs are kept. Exists because the
 * two kinds of data need opposite answers: implicit events (views, plays, purchases) are evidence that adds up, while an explicit
 * rating is an opinion that a later or repeated rating replaces or averages, never adds to. Part of the
 * {@link InteractionRecipe}: the trainer aggregates with it and the plugin's fold-in repeats it for one user.
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

    /**
     * The value a pair enters the matrix with, from its aggregated value: with a finite {@code binarizeAt}, 1 when the value is at
     * least that and dropped otherwise; without, the value itself, dropped when {@code <= 0} unless the policy keeps ratings.
     * Returns {@code NaN} for a dropped pair. The one definition the trainer's matrix builder and the plugin's fold-in share.
     */
    public float pairValue(float aggregated, float binarizeAt) {
        if (Float.isNaN(binarizeAt) == false) {
            return aggregated >= binarizeAt ? 1f : Float.NaN;
        }
        return keepsNonPositive() || aggregated > 0 ? aggregated : Float.NaN;
    }

    /** The lower-case name used in metadata and on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@link #id()}; the message names {@code what} and the bad value. */
    public static DuplicatePolicy parse(String what, String value) {
        for (DuplicatePolicy p : values()) {
            if (p.id().equals(value)) {
                return p;
            }
        }
        throw new IllegalArgumentException("[" + what + "] must be one of [sum, last, mean], got [" + value + "]");
    }
}
