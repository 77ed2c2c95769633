package dev.mfrecs.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The kNN index of a published version's item vectors ({@code vector} and {@code vector_cosine}): the {@code dense_vector}
 * {@code index_options} Elasticsearch 9.1 builds the graph with. {@code item-vectors.json} holds the default; a trainer run
 * given other options ({@code train --index-options}) writes them into that version's mapping instead, which is where they
 * stay recorded (the version's {@code GET <model>-items-v<N>/_mapping}). Quantized types ({@code int8_hnsw}, {@code int4_hnsw},
 * {@code bbq_hnsw}) keep the float vectors too and, with {@code oversample}, rescore {@code oversample * k} quantized
 * candidates with them ({@code rescore_vector}).
 * <p>
 * Written as {@code type[:m=N][:ef_construction=N][:oversample=X]}, e.g. {@code int8_hnsw:m=16:ef_construction=200:oversample=3}.
 *
 * @param type            {@code hnsw}, {@code int8_hnsw}, {@code int4_hnsw} or {@code bbq_hnsw}
 * @param m               neighbours per graph node
 * @param efConstruction  candidates kept while building the graph
 * @param oversample      {@code rescore_vector.oversample} of a quantized type, or null for none
 */
public record VectorIndexOptions(String type, int m, int efConstruction, Float oversample) {

    public static final List<String> TYPES = List.of("hnsw", "int8_hnsw", "int4_hnsw", "bbq_hnsw");
    /** Elasticsearch's own bounds: m in [2, 512], ef_construction in [m, 3200], oversample in [1, 10] (0: none). */
    static final int MAX_M = 512;
    static final int MAX_EF_CONSTRUCTION = 3200;
    /** What Elasticsearch uses for a key left out. */
    static final int DEFAULT_M = 16;
    static final int DEFAULT_EF_CONSTRUCTION = 100;

    public VectorIndexOptions {
        if (TYPES.contains(type) == false) {
            throw new IllegalArgumentException("index type [" + type + "] must be one of " + TYPES);
        }
        if (m < 2 || m > MAX_M) {
            throw new IllegalArgumentException("[m] must be in [2, " + MAX_M + "], got [" + m + "]");
        }
        if (efConstruction < m || efConstruction > MAX_EF_CONSTRUCTION) {
            throw new IllegalArgumentException("[ef_construction] must be in [m, " + MAX_EF_CONSTRUCTION + "], got [" + efConstruction
                + "] with m [" + m + "]");
        }
        if (oversample != null) {
            if ("hnsw".equals(type)) {
                throw new IllegalArgumentException("[oversample] applies to a quantized type (int8_hnsw, int4_hnsw, bbq_hnsw), not to ["
                    + type + "]");
            }
            if ((oversample >= 1f && oversample <= 10f) == false) {
                throw new IllegalArgumentException("[oversample] must be in [1, 10], got [" + oversample + "]");
            }
        }
    }

    /** Parses {@code type[:key=value]...}; a message naming the bad part otherwise. */
    public static VectorIndexOptions parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("index options must not be empty; expected type[:m=N][:ef_construction=N][:oversample=X]");
        }
        String[] parts = spec.trim().split(":");
        int m = DEFAULT_M;
        int ef = DEFAULT_EF_CONSTRUCTION;
        Float oversample = null;
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("[" + parts[i] + "] in index options [" + spec + "] is not key=value");
            }
            String key = parts[i].substring(0, eq);
            String value = parts[i].substring(eq + 1);
            try {
                switch (key) {
                    case "m" -> m = Integer.parseInt(value);
                    case "ef_construction" -> ef = Integer.parseInt(value);
                    case "oversample" -> oversample = Float.parseFloat(value);
                    default -> throw new IllegalArgumentException("unknown key [" + key + "] in index options [" + spec
                        + "]; expected m, ef_construction or oversample");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("[" + key + "] in index options [" + spec + "] is not a number: [" + value + "]");
            }
        }
        return new VectorIndexOptions(parts[0], m, ef, oversample);
    }

    /** The {@code index_options} object of the mapping. */
    public Map<String, Object> toMapping() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("type", type);
        options.put("m", m);
        options.put("ef_construction", efConstruction);
        if (oversample != null) {
            options.put("rescore_vector", Map.of("oversample", oversample));
        }
        return options;
    }

    /** The spec {@link #parse} reads back. */
    @Override
    public String toString() {
        String o = oversample == null ? "" : oversample == Math.rint(oversample) ? Integer.toString(oversample.intValue())
            : String.format(Locale.ROOT, "%s", oversample);
        return type + ":m=" + m + ":ef_construction=" + efConstruction + (o.isEmpty() ? "" : ":oversample=" + o);
    }
}
