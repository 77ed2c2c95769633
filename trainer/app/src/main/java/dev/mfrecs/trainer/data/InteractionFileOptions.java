package dev.mfrecs.trainer.data;

import dev.mfrecs.contract.DuplicatePolicy;
/**
 * How {@link InteractionFileReader} turns a file's rows into matrix entries; a separate value so the CLI, tests and callers
 * state the reading rules once and the reader stays free of option parsing.
 *
 * @param minValue   keep only rows whose value is {@code >= minValue} (e.g. ratings of 4 and 5 as implicit positives);
 *                   {@code NaN} keeps every row
 * @param binarize   set every kept value to 1 (a positive is a positive, whatever its rating)
 * @param duplicates how repeated (user, item) pairs combine
 * @param header     {@code null} to auto-detect a header line, otherwise whether the first line is one
 * @param minPerUser drop users with fewer pairs, {@code >= 1}
 * @param minPerItem drop items with fewer pairs, {@code >= 1}
 * @param keepTimes  parse a four-column file's timestamps and keep each pair's latest in {@link InteractionMatrix#times()}
 *                   (evaluation's leave-one-out holds out the latest pair); training leaves it off and only checks the
 *                   column is present
 */
public record InteractionFileOptions(float minValue, boolean binarize, DuplicatePolicy duplicates, Boolean header, int minPerUser,
                                     int minPerItem, boolean keepTimes) {

    /** Options that do not keep timestamps (training). */
    public InteractionFileOptions(float minValue, boolean binarize, DuplicatePolicy duplicates, Boolean header, int minPerUser,
                                  int minPerItem) {
        this(minValue, binarize, duplicates, header, minPerUser, minPerItem, false);
    }

    public InteractionFileOptions {
        if (Float.isInfinite(minValue)) {
            throw new IllegalArgumentException("[--min-value] must be finite (was [" + minValue + "])");
        }
        if (duplicates == null) {
            throw new IllegalArgumentException("[duplicates] must not be null");
        }
        if (minPerUser < 1 || minPerItem < 1) {
            throw new IllegalArgumentException("[--min-user-items] and [--min-item-users] must be >= 1 (was [" + minPerUser + "], ["
                + minPerItem + "])");
        }
    }

    /**
     * How a file's repeated (user, item) rows combine unless {@code --duplicates} says otherwise, the one default {@code train
     * --input} and {@code evaluate} share: implicit feedback adds up ({@code sum}); for an algorithm that predicts ratings the row
     * read last (a file's latest rating) wins ({@code last}).
     */
    public static DuplicatePolicy defaultDuplicates(boolean ratings) {
        return ratings ? DuplicatePolicy.LAST : DuplicatePolicy.SUM;
    }

    /** Every row, summed as implicit feedback, header auto-detected, no minimum counts. */
    public static InteractionFileOptions implicit() {
        return new InteractionFileOptions(Float.NaN, false, DuplicatePolicy.SUM, null, 1, 1);
    }

    public InteractionFileOptions withMinValue(float newMinValue, boolean newBinarize) {
        return new InteractionFileOptions(newMinValue, newBinarize, duplicates, header, minPerUser, minPerItem, keepTimes);
    }

    public InteractionFileOptions withDuplicates(DuplicatePolicy newDuplicates) {
        return new InteractionFileOptions(minValue, binarize, newDuplicates, header, minPerUser, minPerItem, keepTimes);
    }

    public InteractionFileOptions withHeader(Boolean newHeader) {
        return new InteractionFileOptions(minValue, binarize, duplicates, newHeader, minPerUser, minPerItem, keepTimes);
    }

    public InteractionFileOptions withKeepTimes(boolean newKeepTimes) {
        return new InteractionFileOptions(minValue, binarize, duplicates, header, minPerUser, minPerItem, newKeepTimes);
    }
}
