package dev.mfrecs.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalog-attribute regression of one model version, in the document {@code <model>-v<N>-attributes} of
 * {@value ModelIndices#METADATA_INDEX}: the weights from hashed catalog features to item factors, each numeric field's mean and
 * deviation, and the norm predictions are scaled to. Written by the trainer when a model is published with a catalog; read by
 * {@code refresh-items} to give items nobody has interacted with yet a provisional vector. The plugin never reads it.
 *
 * @param weights {@code (hashDims + 1) x factors}, row-major
 * @param numeric field name to {@code [mean, deviation]}
 */
public record AttributeModelDocument(String model, int version, int factors, int hashDims, double norm, float[] weights,
                                     Map<String, double[]> numeric) {

    private static final String MODEL = "attributes_model";
    private static final String VERSION = "attributes_version";
    private static final String FACTORS = "attributes_factors";
    private static final String HASH_DIMS = "attributes_hash_dims";
    private static final String NORM = "attributes_norm";
    private static final String WEIGHTS = "attributes_weights";
    private static final String NUMERIC = "attributes_numeric";

    public AttributeModelDocument {
        if (weights.length != (long) (hashDims + 1) * factors) {
            throw new IllegalArgumentException("attribute model needs [" + (hashDims + 1) * factors + "] weights, got [" + weights.length
                + "]");
        }
        numeric = Map.copyOf(numeric);
    }

    /** The same regression for version {@code newVersion}: trainers fit it before the publisher assigns the version. */
    public AttributeModelDocument withVersion(int newVersion) {
        return new AttributeModelDocument(model, newVersion, factors, hashDims, norm, weights, numeric);
    }

    public static String id(String model, int version) {
        return ModelIndices.metadataId(model, version) + "-attributes";
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(MODEL, model);
        m.put(VERSION, version);
        m.put(FACTORS, factors);
        m.put(HASH_DIMS, hashDims);
        m.put(NORM, norm);
        m.put(WEIGHTS, weights);
        Map<String, Object> n = new LinkedHashMap<>();
        numeric.forEach((field, ms) -> n.put(field, List.of(ms[0], ms[1])));
        m.put(NUMERIC, n);
        return m;
    }

    public static AttributeModelDocument fromMap(String id, Map<String, Object> source) {
        MetadataReader r = MetadataReader.of(id, source);
        String model = r.string(MODEL);
        int version = r.integer(VERSION);
        int factors = r.integer(FACTORS);
        int dims = r.integer(HASH_DIMS);
        double norm = r.doubleValue(NORM);
        float[] weights = r.floats(WEIGHTS);
        MetadataReader numeric = r.object(NUMERIC);
        Map<String, double[]> stats = new LinkedHashMap<>();
        for (String field : numeric.keys()) {
            float[] ms = numeric.floats(field);
            if (ms.length != 2) {
                throw numeric.invalid(field, "needs [mean, deviation]");
            }
            stats.put(field, new double[] { ms[0], ms[1] });
        }
        r.done();
        try {
            return new AttributeModelDocument(model, version, factors, dims, norm, weights, stats);
        } catch (IllegalArgumentException e) {
            throw r.invalid(e.getMessage());
        }
    }
}
