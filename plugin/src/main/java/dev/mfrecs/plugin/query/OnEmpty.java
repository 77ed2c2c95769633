package dev.mfrecs.plugin.query;

import java.util.Locale;

/**
 * What a personalized query does for a user with nothing to fold in (no stored vector, no known history items):
 * rank the catalog by the popularity the trainer recorded, or fail with 404.
 */
public enum OnEmpty {
    POPULAR,
    ERROR;

    public static OnEmpty parse(String api, String value) {
        try {
            return OnEmpty.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[" + api + "] [on_empty] must be [popular] or [error], got [" + value + "]");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
