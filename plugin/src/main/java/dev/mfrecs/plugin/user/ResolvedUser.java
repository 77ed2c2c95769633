package dev.mfrecs.plugin.user;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A user turned into a query vector: where it came from ({@code stored}, {@code history} or {@code interactions}), the
 * items to exclude as already seen, the history items the model does not know (ignored, reported back), and the
 * history used for fold-in, which explanations need (vectors as published, so augmented with the bias for explicit models).
 * {@code vector} is null when nothing usable was left: an empty resolution, which each caller handles (popular items for
 * {@code mf_recommend}, a 404 naming the user for {@code _fold_in}).
 */
public record ResolvedUser(
    float[] vector,
    String source,
    List<String> seenItems,
    List<String> ignoredItems,
    List<String> historyItems,
    float[] historyVectors,
    float[] historyValues
) {
    /** Nothing to fold in: no stored vector, no events, or none of the history's items in the model. */
    public static ResolvedUser empty(String source, List<String> seen, List<String> ignored) {
        return new ResolvedUser(null, source, seen, ignored, List.of(), null, null);
    }

    public boolean empty() {
        return vector == null;
    }

    /** The same user with {@code items} excluded as seen too (items the user interacted with since the model's cut-off). */
    public ResolvedUser withMoreSeen(Collection<String> items) {
        Set<String> all = new LinkedHashSet<>(seenItems);
        all.addAll(items);
        return new ResolvedUser(vector, source, List.copyOf(all), ignoredItems, historyItems, historyVectors, historyValues);
    }

    /**
     * A stored user with their whole history read from the index (their stored history was capped): every item is excluded as
     * seen, and an explanation folds in exactly this history.
     */
    public ResolvedUser withHistory(Map<String, Float> history) {
        List<String> items = List.copyOf(history.keySet());
        float[] values = new float[items.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = history.get(items.get(i));
        }
        return new ResolvedUser(vector, source, items, ignoredItems, items, null, values);
    }
}
