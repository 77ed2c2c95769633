package dev.mfrecs.contract;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One user's events aggregated by an {@link InteractionRecipe}, the small-scale twin of the trainer's matrix builder: events are
 * weighted by the recipe, repeated items combine by its {@link DuplicatePolicy} (zero-weight events count for nothing, as in
 * training), and {@link #pairs()} applies the binarization and drops what training would drop. The plugin builds a user's
 * fold-in history with it, from events read from the interactions index or from an inline history.
 * <p>
 * Items keep the order they were first added in. With {@link DuplicatePolicy#LAST} the last value added wins, so callers add
 * events oldest first. Not thread-safe.
 */
public final class UserHistory {

    private final InteractionRecipe recipe;
    /** Per item: the running sum (or last value) and the number of values. */
    private final Map<String, double[]> items = new LinkedHashMap<>();
    private long events;
    private Long newestMillis;

    UserHistory(InteractionRecipe recipe) {
        this.recipe = recipe;
    }

    /** Adds one raw event of the interactions index; its time (epoch ms, null if unknown) ages it from the decay reference. */
    public void addEvent(String item, String eventType, Number value, Long timeMillis) {
        if (timeMillis != null && (newestMillis == null || timeMillis > newestMillis)) {
            newestMillis = timeMillis;
        }
        addValue(item, recipe.weight(eventType, value, timeMillis));
    }

    /** The newest event time added (epoch ms), or null: tells whether a history holds events after a model's cut-off. */
    public Long newestMillis() {
        return newestMillis;
    }

    /** Adds one already weighted value (an inline history entry). A zero value is not an event, as in training. */
    public void addValue(String item, float weighted) {
        if (weighted == 0f) {
            return;
        }
        events++;
        double[] acc = items.computeIfAbsent(item, k -> new double[2]);
        if (recipe.duplicates() == DuplicatePolicy.LAST) {
            acc[0] = weighted;
        } else {
            acc[0] += weighted;
        }
        acc[1]++;
    }

    /** Events added that counted (non-zero weight). */
    public long events() {
        return events;
    }

    /** The items and the values they enter a fold-in with, in first-added order; dropped pairs are left out. */
    public Map<String, Float> pairs() {
        Map<String, Float> out = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : items.entrySet()) {
            double[] acc = e.getValue();
            float aggregated = (float) (recipe.duplicates() == DuplicatePolicy.MEAN ? acc[0] / acc[1] : acc[0]);
            float v = recipe.pairValue(aggregated);
            if (Float.isNaN(v) == false) {
                out.put(e.getKey(), v);
            }
        }
        return out;
    }
}
