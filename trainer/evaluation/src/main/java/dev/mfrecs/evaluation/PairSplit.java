package dev.mfrecs.evaluation;

/**
 * A split of an {@link Interactions} list into index sets: {@code train} is what models learn from, {@code test} what they are scored
 * on, and {@code foldIn} (strong generalization only, else empty) the held-out users' pairs given to the model at scoring time.
 */
public record PairSplit(int[] train, int[] test, int[] foldIn) {}
