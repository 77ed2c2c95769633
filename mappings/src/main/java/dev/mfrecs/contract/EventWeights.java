package dev.mfrecs.contract;

import java.util.Map;

/**
 * Turns one raw event into the value summed into the interaction matrix: the event type's weight (1 for every type
 * when no weights are set, 0 for a type a weighted model does not know; negative weights, e.g. returns, cancel
 * purchases), times the event's own value when a value field is used, halved every {@code halfLifeDays} of age.
 * <p>
 * The trainer applies it when it reads events and the plugin when it folds a user in from their events at query time,
 * so both must go through this one definition. Ages are in milliseconds relative to the recipe's decay reference time
 * ({@link InteractionRecipe#decayReferenceMillis()}); an event newer than the reference is not decayed.
 */
public record EventWeights(Map<String, Float> weights, boolean useValue, double halfLifeDays) {

    private static final double MILLIS_PER_DAY = 86_400_000d;

    public EventWeights {
        weights = weights == null ? Map.of() : Map.copyOf(weights);
        for (var e : weights.entrySet()) {
            if (Float.isFinite(e.getValue()) == false) {
                throw new IllegalArgumentException("event weight for [" + e.getKey() + "] must be finite, got [" + e.getValue() + "]");
            }
        }
        if (halfLifeDays < 0 || Double.isFinite(halfLifeDays) == false) {
            throw new IllegalArgumentException("[half_life_days] must be finite and >= 0, got [" + halfLifeDays + "]");
        }
    }

    /**
     * @param eventType the event's type, may be null
     * @param value     the event's value (quantity, rating), ignored unless {@code useValue}; null counts as 1
     * @param ageMillis the event's age relative to the reference time; ignored without a half-life
     */
    public float weight(String eventType, Number value, long ageMillis) {
        float w = weights.isEmpty() ? 1f : (eventType == null ? 0f : weights.getOrDefault(eventType, 0f));
        if (useValue && value != null) {
            w *= value.floatValue();
        }
        if (halfLifeDays > 0 && ageMillis > 0) {
            w *= (float) Math.pow(0.5, ageMillis / (halfLifeDays * MILLIS_PER_DAY));
        }
        return w;
    }
}
