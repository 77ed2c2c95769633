package dev.mfrecs.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which fields of the interactions index hold what, the event weights and the time-decay half-life: the part of the
 * {@link InteractionRecipe} that says how one raw event becomes a weighted value. Defaults match
 * {@code mappings/templates/interactions.json}.
 *
 * @param index          the interactions index, alias or pattern
 * @param valueField     a numeric field each event's weight is multiplied by (quantity, rating), or null
 * @param timestampField the event time, or null when the index has none (no decay, no window)
 * @param weights        weight per event type; empty: every event weighs 1
 * @param halfLifeDays   time-decay half-life in days, 0 for none
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

    private static final String INDEX = "index";
    private static final String USER_FIELD = "user_field";
    private static final String ITEM_FIELD = "item_field";
    private static final String EVENT_FIELD = "event_field";
    private static final String VALUE_FIELD = "value_field";
    private static final String TIMESTAMP_FIELD = "timestamp_field";
    private static final String WEIGHTS = "weights";
    private static final String HALF_LIFE_DAYS = "half_life_days";

    public InteractionFields {
        String[][] required = { { INDEX, index }, { USER_FIELD, userField }, { ITEM_FIELD, itemField }, { EVENT_FIELD, eventField } };
        for (var f : required) {
            if (f[1] == null || f[1].isBlank()) {
                throw new IllegalArgumentException("interactions [" + f[0] + "] must not be empty");
            }
        }
        weights = weights == null ? Map.of() : Map.copyOf(weights);
        // Validates the weights and the half-life once, where the recipe is built.
        new EventWeights(weights, valueField != null, halfLifeDays);
    }

    public static InteractionFields defaults(String index) {
        return new InteractionFields(index, "user_id", "item_id", "event_type", null, "timestamp", Map.of(), 0);
    }

    public InteractionFields withWeights(Map<String, Float> newWeights) {
        return new InteractionFields(index, userField, itemField, eventField, valueField, timestampField, newWeights, halfLifeDays);
    }

    /** The same recipe for an index without a timestamp field: no decay is possible and no window applies. */
    public InteractionFields withoutTimestamp() {
        return new InteractionFields(index, userField, itemField, eventField, valueField, null, weights, 0);
    }

    /** The weighting the trainer applies and the plugin repeats at query time. */
    public EventWeights eventWeights() {
        return new EventWeights(weights, valueField != null, halfLifeDays);
    }

    /** The form stored in model metadata; an unset optional field is written as null (see {@link MetadataReader}). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(INDEX, index);
        m.put(USER_FIELD, userField);
        m.put(ITEM_FIELD, itemField);
        m.put(EVENT_FIELD, eventField);
        m.put(VALUE_FIELD, valueField);
        m.put(TIMESTAMP_FIELD, timestampField);
        m.put(WEIGHTS, new LinkedHashMap<>(weights));
        m.put(HALF_LIFE_DAYS, halfLifeDays);
        return m;
    }

    /** Reads this record's fields of the recipe object; the recipe reads the rest and rejects what neither declares. */
    static InteractionFields read(MetadataReader r) {
        try {
            InteractionFields fields = new InteractionFields(r.string(INDEX), r.string(USER_FIELD), r.string(ITEM_FIELD),
                r.string(EVENT_FIELD), r.optionalString(VALUE_FIELD), r.optionalString(TIMESTAMP_FIELD), r.floatMap(WEIGHTS),
                r.doubleValue(HALF_LIFE_DAYS));
            return fields;
        } catch (MetadataException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw r.invalid(e.getMessage());
        }
    }
}
