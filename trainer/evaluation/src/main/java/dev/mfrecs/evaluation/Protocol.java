package dev.mfrecs.evaluation;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The evaluation protocols {@code evaluate}, {@code tune} and {@code report} share; the CLI names are the lower-case forms. */
public enum Protocol {
    /** Each user's latest pair (by timestamp; seeded random without timestamps) is held out; full ranking over all items. */
    LEAVE_ONE_OUT("leave-one-out"),
    /** A seeded random fraction of each user's pairs is held out. */
    HOLDOUT("holdout"),
    /** Strong generalization (Liang et al. 2018): held-out users are never trained on and are folded in from 80% of their pairs. */
    STRONG("strong"),
    /** A random split of the ratings (or K-fold cross-validation) scored by RMSE and MAE; explicit models only. */
    RATINGS("ratings");

    private final String cliName;

    Protocol(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Protocol parse(String s) {
        for (Protocol p : values()) {
            if (p.cliName.equals(s.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("[--protocol] must be one of " + Arrays.stream(values()).map(Protocol::cliName)
            .collect(Collectors.joining(", ", "[", "]")) + " (was [" + s + "])");
    }
}
