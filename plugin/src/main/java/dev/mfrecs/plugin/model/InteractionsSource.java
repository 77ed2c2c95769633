package dev.mfrecs.plugin.model;

import dev.mfrecs.factorization.EventWeights;

import java.util.HashMap;
import java.util.Map;

/**
 * How the trainer read the interactions index, recorded in the model metadata so that query-time fold-in of a user who
 * was not trained reads their events with the same fields, event weights and time decay the model saw in training.
 */
public record InteractionsSource(
    String index,
    String userField,
    String itemField,
    String eventField,
    String valueField,
    String timestampField,
    Map<String, Float> weights,
    double halfLifeDays
) {

    static InteractionsSource parse(Map<String, Object> m) {
        Map<String, Float> weights = new HashMap<>();
        if (m.get("weights") instanceof Map<?, ?> w) {
            w.forEach((k, v) -> weights.put(String.valueOf(k), ((Number) v).floatValue()));
        }
        return new InteractionsSource(
            str(m, "index", "interactions"),
            str(m, "user_field", "user_id"),
            str(m, "item_field", "item_id"),
            str(m, "event_field", "event_type"),
            m.get("value_field") instanceof String s ? s : null,
            str(m, "timestamp_field", "timestamp"),
            Map.copyOf(weights),
            m.get("half_life_days") instanceof Number n ? n.doubleValue() : 0
        );
    }

    private static String str(Map<String, Object> m, String key, String dflt) {
        return m.get(key) instanceof String s ? s : dflt;
    }

    /** The weighting the trainer applied, repeated here for query-time fold-in. */
    public EventWeights eventWeights() {
        return new EventWeights(weights, valueField != null, halfLifeDays);
    }
}
