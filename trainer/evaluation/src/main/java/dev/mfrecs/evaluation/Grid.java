package dev.mfrecs.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A hyper-parameter grid parsed from {@code --grid name=v1,v2,...} options: the cartesian product of the values, enumerated with the
 * last parameter varying fastest, so tables and heatmaps list combinations in a predictable order.
 */
public record Grid(Map<String, double[]> axes) {

    public static Grid parse(List<String> specs) {
        Map<String, double[]> axes = new LinkedHashMap<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException("[--grid] must look like [name=v1,v2,...] (was [" + spec + "])");
            }
            String name = spec.substring(0, eq).strip();
            String[] parts = spec.substring(eq + 1).split(",");
            double[] values = new double[parts.length];
            for (int j = 0; j < parts.length; j++) {
                try {
                    values[j] = Double.parseDouble(parts[j].strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("[--grid] value of [" + name + "] is not a number [" + parts[j] + "]", e);
                }
            }
            if (axes.put(name, values) != null) {
                throw new IllegalArgumentException("[--grid] parameter [" + name + "] given twice");
            }
        }
        return new Grid(axes);
    }

    public List<String> names() {
        return new ArrayList<>(axes.keySet());
    }

    /** Every combination as a parameter map, last axis fastest. */
    public List<Map<String, Double>> combinations() {
        List<Map<String, Double>> out = new ArrayList<>();
        out.add(new LinkedHashMap<>());
        for (var axis : axes.entrySet()) {
            List<Map<String, Double>> next = new ArrayList<>();
            for (Map<String, Double> partial : out) {
                for (double v : axis.getValue()) {
                    Map<String, Double> m = new LinkedHashMap<>(partial);
                    m.put(axis.getKey(), v);
                    next.add(m);
                }
            }
            out = next;
        }
        return out;
    }
}
