package dev.mfrecs.plugin.model;

import java.util.List;

/**
 * A user turned into a query vector: where it came from ({@code stored}, {@code history} or {@code interactions}), the
 * items to exclude as already seen, the history items the model does not know (ignored, reported back), and the
 * history used for fold-in, which explanations need. {@code vector} is null when nothing usable was left.
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
    public boolean empty() {
        return vector == null;
    }
}
