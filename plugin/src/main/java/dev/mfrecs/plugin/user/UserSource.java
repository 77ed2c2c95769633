package dev.mfrecs.plugin.user;

import java.util.Locale;

/**
 * Where a user's vector may come from: {@code auto} (the stored vector of a trained user, else a fold-in of their events),
 * {@code stored} (only a trained user's vector: a user the model was not trained on resolves to nothing) or
 * {@code interactions} (always a fold-in of the user's events in the interactions index, read with the model's recipe, even for
 * a trained user: what checks a published model against its data, and what serves a user whose stored vector is not wanted).
 */
public enum UserSource {
    AUTO,
    STORED,
    INTERACTIONS;

    public static UserSource parse(String api, String value) {
        for (UserSource s : values()) {
            if (s.toString().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("[" + api + "] [source] must be one of [auto, stored, interactions], got [" + value + "]");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
