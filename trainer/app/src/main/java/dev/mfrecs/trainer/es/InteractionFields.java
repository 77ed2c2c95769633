package dev.mfrecs.trainer.es;

import dev.mfrecs.factorization.EventWeights;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which fields of the interactions index hold what, the event weights, and the time decay: the reading recipe the
 * trainer uses and records in the model metadata, so the plugin's query-time fold-in reads a user's events the same way.
 * Defaults match {@code mappings/templates/interactions.json}.
 */
public record InteractionFields(
    String index,
    String userField,
    String itemField,
    String eventField,
    String valueField,
    String timestampField,
    Map<String, Float> weights,
    double halfLifeDays
) {

    public static InteractionFields defaults(String index) {
        return new InteractionFields(index, "user_id", "item_id", "event_type", null, "timestamp", Map.of(), 0);
    }

    public InteractionFields withWeights(Map<String, Float> newWeights) {
        return new InteractionFields(index, userField, itemField, eventField, valueField, timestampField, Map.copyOf(newWeights),
            halfLifeDays);
    }

    /** The weighting the trainer applies and the plugin repeats at query time. */
    public EventWeights eventWeights() {
        return new EventWeights(weights, valueField != null, halfLifeDays);
    }

    /** The form stored in model metadata. */
    public Map<String, Object> toMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("user_field", userField);
        m.put("item_field", itemField);
        m.put("event_field", eventField);
        m.put("value_field", valueField);
        m.put("timestamp_field", timestampField);
        m.put("weights", weights);
        m.put("half_life_days", halfLifeDays);
        return m;
    }
}
