package dev.mfrecs.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hyper-parameter grid parsed from {@code --grid name=v1,v2,...} options: the cartesian product of the values, enumerated with the
 * last parameter varying fastest, so tables and heatmaps list combinations in a predictable order. Values stay text (numbers, or
 * words such as {@code confidence=linear,log}); {@link ModelSpec#of} parses and checks them against the model.
 */
public record Grid(Map<String, List<String>> axes) {

    public static Grid parse(List<String> specs) {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException("[--grid] must look like [name=v1,v2,...] (was [" + spec + "])");
            }
            String name = spec.substring(0, eq).strip();
            List<String> values = new ArrayList<>();
            for (String part : spec.substring(eq + 1).split(",")) {
                if (part.isBlank()) {
                    throw new IllegalArgumentException("[--grid] empty value of [" + name + "] in [" + spec + "]");
                }
                values.add(part.strip());
            }
            if (axes.put(name, List.copyOf(values)) != null) {
                throw new IllegalArgumentException("[--grid] parameter [" + name + "] given twice");
            }
        }
        return new Grid(axes);
    }

    /** A grid of numeric axes (the report's heatmap). */
    public static Grid ofNumbers(Map<String, double[]> numeric) {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        numeric.forEach((name, values) -> {
            List<String> text = new ArrayList<>();
            for (double v : values) {
                text.add(ModelSpec.format(v));
            }
            axes.put(name, text);
        });
        return new Grid(axes);
    }

    public List<String> names() {
        return new ArrayList<>(axes.keySet());
    }

    /** Every combination as a parameter map, last axis fastest. */
    public List<Map<String, String>> combinations() {
        List<Map<String, String>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (var axis : axes.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : out) {
                for (String v : axis.getValue()) {
                    Map<String, String> m = new LinkedHashMap<>(partial);
                    m.put(axis.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }
}
