package dev.mfrecs.plugin.model;

import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ConfidenceKind;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.InteractionFields;
import dev.mfrecs.mappings.ModelIndices;

import org.elasticsearch.ElasticsearchParseException;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One immutable model version as the trainer published it: what the plugin needs to fold a user in (the item Gram
 * matrix, the regularization and confidence the model was trained with), where its vectors live, and how to read a
 * user's history from the interactions index with the same weights the trainer used.
 * <p>
 * Parsed once per version from the hidden {@link ModelIndices#METADATA_INDEX} document and then cached: versions never
 * change after they are published.
 */
public record ModelMetadata(
    String model,
    int version,
    String algorithm,
    int factors,
    int vectorDims,
    float regularization,
    float globalMean,
    Confidence confidence,
    ImplicitAlsParams.Rendle rendle,
    int itemCount,
    float[] gram,
    String itemsIndex,
    String usersIndex,
    List<String> popularItems,
    InteractionFields interactions,
    Map<String, Object> source
) {

    /** Whether the model ranks by predicted rating with vectors augmented by a bias: (q_i, b_i) . (p_u, 1). */
    public boolean explicit() {
        return "als".equals(algorithm) || "funk".equals(algorithm);
    }

    /** Parses a metadata document; a malformed document is a server-side problem the message names precisely. */
    @SuppressWarnings("unchecked")
    public static ModelMetadata parse(String id, Map<String, Object> src) {
        String model = string(id, src, "model");
        int version = number(id, src, "version").intValue();
        String algorithm = string(id, src, "algorithm");
        int factors = number(id, src, "factors").intValue();
        Object dimsValue = src.get("vector_dims");
        int vectorDims = dimsValue instanceof Number n ? n.intValue() : factors;
        float regularization = number(id, src, "regularization").floatValue();
        Confidence confidence = Confidence.linear(1f);
        Object conf = src.get("confidence");
        if (conf instanceof Map<?, ?> c) {
            String kind = String.valueOf(c.get("kind")).toUpperCase(Locale.ROOT);
            float alpha = c.get("alpha") instanceof Number a ? a.floatValue() : 1f;
            float epsilon = c.get("epsilon") instanceof Number e ? e.floatValue() : 1f;
            try {
                confidence = new Confidence(ConfidenceKind.valueOf(kind), alpha, epsilon);
            } catch (IllegalArgumentException e) {
                throw new ElasticsearchParseException("model metadata [{}] has an unknown confidence kind [{}]", id, kind);
            }
        }
        float[] gram = null;
        Object g = src.get("gram");
        if (g instanceof List<?> list) {
            gram = new float[list.size()];
            for (int i = 0; i < gram.length; i++) {
                gram[i] = ((Number) list.get(i)).floatValue();
            }
            if (gram.length != factors * factors) {
                throw new ElasticsearchParseException(
                    "model metadata [{}] has a gram matrix of [{}] values, expected factors^2 = [{}]",
                    id,
                    gram.length,
                    factors * factors
                );
            }
        }
        List<String> popular = src.get("popular_items") instanceof List<?> p ? p.stream().map(String::valueOf).toList() : List.of();
        InteractionFields interactions = src.get("interactions") instanceof Map<?, ?> m
            ? InteractionFields.fromMetadata((Map<String, Object>) m)
            : null;
        return new ModelMetadata(
            model,
            version,
            algorithm,
            factors,
            vectorDims,
            regularization,
            src.get("global_mean") instanceof Number mu ? mu.floatValue() : 0f,
            confidence,
            rendle(id, src.get("rendle")),
            src.get("item_count") instanceof Number n ? n.intValue() : 0,
            gram,
            src.get("items_index") instanceof String s ? s : ModelIndices.itemsIndex(model, version),
            src.get("users_index") instanceof String s ? s : ModelIndices.usersIndex(model, version),
            popular,
            interactions,
            src
        );
    }

    private static ImplicitAlsParams.Rendle rendle(String id, Object value) {
        if (value instanceof Map<?, ?> r && r.get("alpha0") instanceof Number a && r.get("nu") instanceof Number nu) {
            try {
                return new ImplicitAlsParams.Rendle(a.floatValue(), nu.floatValue());
            } catch (IllegalArgumentException e) {
                throw new ElasticsearchParseException("model metadata [{}] has invalid [rendle] options: {}", id, e.getMessage());
            }
        }
        return ImplicitAlsParams.Rendle.NONE;
    }

    private static String string(String id, Map<String, Object> src, String field) {
        if (src.get(field) instanceof String s) {
            return s;
        }
        throw new ElasticsearchParseException("model metadata [{}] lacks the string field [{}]", id, field);
    }

    private static Number number(String id, Map<String, Object> src, String field) {
        if (src.get(field) instanceof Number n) {
            return n;
        }
        throw new ElasticsearchParseException("model metadata [{}] lacks the numeric field [{}]", id, field);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelMetadata m && m.model.equals(model) && m.version == version && Arrays.equals(m.gram, gram);
    }

    @Override
    public int hashCode() {
        return model.hashCode() * 31 + version;
    }

    @Override
    public String toString() {
        return "ModelMetadata[" + model + " v" + version + " " + algorithm + " d=" + factors + "]";
    }
}
