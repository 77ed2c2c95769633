package dev.mfrecs.plugin.model;

import java.util.List;

/**
 * Turns values as Elasticsearch hands them back (a parsed {@code _source}, a doc-value field) into the primitive forms the
 * plugin computes with. One place, because a vector arrives as a {@code float[]} in-process, as a list of numbers after
 * parsing JSON, and as either after transport.
 */
public final class SourceValues {

    private SourceValues() {}

    /** A list of numbers (or a {@code float[]}) as floats; null for anything else. */
    public static float[] floats(Object o) {
        if (o instanceof float[] f) {
            return f;
        }
        if (o instanceof List<?> list) {
            float[] out = new float[list.size()];
            for (int i = 0; i < out.length; i++) {
                if (list.get(i) instanceof Number n) {
                    out[i] = n.floatValue();
                } else {
                    return null;
                }
            }
            return out;
        }
        return null;
    }

    /** A list as strings; an empty list for anything else. */
    public static List<String> strings(Object o) {
        return o instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }
}
