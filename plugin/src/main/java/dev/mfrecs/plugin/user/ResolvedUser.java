package dev.mfrecs.plugin.user;

import java.util.List;

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
}
