package dev.mfrecs.evaluation;

/**
 * A split of an {@link Interactions} list into index sets: {@code train} is what models learn from, {@code test} what they are scored
 * on, and {@code foldIn} (strong generalization only, else empty) the held-out users' pairs given to the model at scoring time.
 */
public record PairSplit(int[] train, int[] test, int[] foldIn) {

    /**
     * This split of a subset expressed in the indices of the whole list: {@code base[j]} is the whole list's index of the subset's
     * pair {@code j} (e.g. a validation split carved from {@code outer.train()}).
     */
    public PairSplit within(int[] base) {
        return new PairSplit(map(train, base), map(test, base), map(foldIn, base));
    }

    private static int[] map(int[] pairs, int[] base) {
        int[] out = new int[pairs.length];
        for (int j = 0; j < pairs.length; j++) {
            out[j] = base[pairs[j]];
        }
        return out;
    }
}
