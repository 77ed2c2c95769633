package dev.mfrecs.factorization;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which fields of the interactions index hold what, the event weights, and the time decay: the reading recipe the
 * trainer uses and records in the model metadata ({@link #toMetadata()}), and the plugin reads back
 * ({@link #fromMetadata}) so that query-time fold-in of a user who was not trained reads their events the same way.
 * One class on both sides, so the two cannot drift. Defaults match {@code mappings/templates/interactions.json}.
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

    /** Reads {@link #toMetadata()}'s form back; missing fields take the defaults. */
    public static InteractionFields fromMetadata(Map<String, Object> m) {
        InteractionFields d = defaults("interactions");
        Map<String, Float> weights = new HashMap<>();
        if (m.get("weights") instanceof Map<?, ?> w) {
            w.forEach((k, v) -> weights.put(String.valueOf(k), ((Number) v).floatValue()));
        }
        return new InteractionFields(
            str(m, "index", d.index()),
            str(m, "user_field", d.userField()),
            str(m, "item_field", d.itemField()),
            str(m, "event_field", d.eventField()),
            m.get("value_field") instanceof String s ? s : null,
            str(m, "timestamp_field", d.timestampField()),
            Map.copyOf(weights),
            m.get("half_life_days") instanceof Number n ? n.doubleValue() : 0
        );
    }

    private static String str(Map<String, Object> m, String key, String dflt) {
        return m.get(key) instanceof String s ? s : dflt;
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
