package dev.mfrecs.plugin.rescore;

import org.apache.lucene.util.NumericUtils;

import java.util.Arrays;
import java.util.Locale;

/**
 * How {@code mf_personalize} puts the query's scores and the user's dot products on one scale before blending them, within one
 * shard's rescore window: {@code minmax} maps each to {@code (x - min) / (max - min)} (1 for every hit when all are equal);
 * {@code rank} maps the hit ranked {@code r} (0-based, ties by position in the window) of {@code n} to {@code (n - 1 - r) / (n - 1)}
 * (1 when {@code n == 1}), which ignores how far apart the scores are.
 */
public enum Normalization {
    MINMAX,
    RANK;

    public static Normalization parse(String api, String value) {
        for (Normalization n : values()) {
            if (n.toString().equals(value)) {
                return n;
            }
        }
        throw new IllegalArgumentException("[" + api + "] [normalize] must be one of [minmax, rank], got [" + value + "]");
    }

    /**
     * Normalizes {@code values[i]} for the {@code i < n} with {@code present[i]} (all when null) into {@code out}; others are left
     * untouched.
     */
    void apply(float[] values, boolean[] present, int n, float[] out) {
        if (this == MINMAX) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                if (present == null || present[i]) {
                    min = Math.min(min, values[i]);
                    max = Math.max(max, values[i]);
                }
            }
            for (int i = 0; i < n; i++) {
                if (present == null || present[i]) {
                    out[i] = max > min ? (float) (((double) values[i] - min) / ((double) max - min)) : 1f;
                }
            }
            return;
        }
        // rank: best value first, ties by position. Key: the float's sortable bits above, the inverted position below, sorted
        // ascending and read from the end.
        int count = 0;
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            if (present == null || present[i]) {
                keys[count++] = ((long) NumericUtils.floatToSortableInt(values[i]) << 32) | (0xFFFFFFFFL & ~i);
            }
        }
        Arrays.sort(keys, 0, count);
        for (int r = 0; r < count; r++) {
            int i = ~(int) keys[count - 1 - r];
            out[i] = count == 1 ? 1f : (float) (count - 1 - r) / (count - 1);
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
