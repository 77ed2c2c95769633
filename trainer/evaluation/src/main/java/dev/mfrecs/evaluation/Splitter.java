package dev.mfrecs.evaluation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Carves {@link PairSplit}s out of an {@link Interactions} list for each {@link Protocol}. Users are visited in id order and every
 * random choice is drawn from one {@link SplittableRandom} seeded by the caller, so a split depends only on the data and the seed.
 * Users with a single pair are never held out (there would be nothing left to learn them from).
 */
public final class Splitter {

    /** The share of a held-out user's pairs given to the model at scoring time (Liang et al. 2018: 80%). */
    static final double FOLD_IN = 0.8;

    private Splitter() {}

    public static PairSplit split(Interactions data, EvalOptions options) {
        return switch (options.protocol()) {
            case LEAVE_ONE_OUT -> leaveOneOut(data, options.seed());
            case HOLDOUT -> holdout(data, options.holdoutFraction(), options.seed());
            case STRONG -> options.strongUsers() >= 1 ? strongCount(data, (int) options.strongUsers(), FOLD_IN, options.seed())
                : strong(data, options.strongUsers(), FOLD_IN, options.seed());
            case RATINGS -> ratingsFolds(data, 1, options.holdoutFraction(), options.seed())[0];
        };
    }

    /** Each user's latest pair (ties and missing timestamps: a seeded random choice) goes to test. */
    public static PairSplit leaveOneOut(Interactions data, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] byUser = byUser(data);
        IntList train = new IntList(data.size());
        IntList test = new IntList(data.userCount());
        for (int[] pairs : byUser) {
            if (pairs.length < 2) {
                train.addAll(pairs, 0, pairs.length);
                continue;
            }
            int chosen = -1;
            if (data.hasTimes()) {
                long latest = Long.MIN_VALUE;
                int ties = 0;
                for (int p : pairs) {
                    long t = data.times()[p];
                    if (t > latest) {
                        latest = t;
                        chosen = p;
                        ties = 1;
                    } else if (t == latest && random.nextInt(++ties) == 0) {
                        chosen = p; // reservoir choice among equal timestamps
                    }
                }
            } else {
                chosen = pairs[random.nextInt(pairs.length)];
            }
            for (int p : pairs) {
                if (p == chosen) {
                    test.add(p);
                } else {
                    train.add(p);
                }
            }
        }
        return new PairSplit(train.toArray(), test.toArray(), new int[0]);
    }

    /** A seeded random {@code fraction} of each user's pairs (at least one, at most all but one) goes to test. */
    public static PairSplit holdout(Interactions data, double fraction, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        IntList train = new IntList(data.size());
        IntList test = new IntList(data.size() / 4);
        for (int[] pairs : byUser(data)) {
            if (pairs.length < 2) {
                train.addAll(pairs, 0, pairs.length);
                continue;
            }
            shuffle(pairs, random);
            int n = Math.min(pairs.length - 1, Math.max(1, (int) Math.round(fraction * pairs.length)));
            test.addAll(pairs, 0, n);
            train.addAll(pairs, n, pairs.length);
        }
        return new PairSplit(train.toArray(), test.toArray(), new int[0]);
    }

    /**
     * Strong generalization: a seeded random {@code userFraction} of the users with at least 2 pairs is held out entirely; each
     * held-out user's pairs are shuffled and split into a fold-in part ({@code foldInFraction}, at least one) and a test part (at
     * least one). Models train on the other users only.
     */
    public static PairSplit strong(Interactions data, double userFraction, double foldInFraction, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] byUser = byUser(data);
        boolean[] heldOut = new boolean[byUser.length];
        for (int u = 0; u < byUser.length; u++) {
            heldOut[u] = byUser[u].length >= 2 && random.nextDouble() < userFraction;
        }
        return strongSplit(data, byUser, heldOut, foldInFraction, random);
    }

    /**
     * Strong generalization with a fixed number of held-out users (Liang et al. 2018): {@code count} users drawn uniformly (seeded)
     * among those with at least 2 pairs; otherwise as {@link #strong}.
     */
    public static PairSplit strongCount(Interactions data, int count, double foldInFraction, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] byUser = byUser(data);
        IntList eligible = new IntList(byUser.length);
        for (int u = 0; u < byUser.length; u++) {
            if (byUser[u].length >= 2) {
                eligible.add(u);
            }
        }
        int[] candidates = eligible.toArray();
        if (count >= candidates.length) {
            throw new IllegalArgumentException("[--strong-users] [" + count + "] must be fewer than the [" + candidates.length
                + "] users with at least 2 pairs");
        }
        shuffle(candidates, random);
        boolean[] heldOut = new boolean[byUser.length];
        for (int j = 0; j < count; j++) {
            heldOut[candidates[j]] = true;
        }
        return strongSplit(data, byUser, heldOut, foldInFraction, random);
    }

    /**
     * Trains on the users not held out; splits each held-out user's shuffled pairs into fold-in ({@code foldInFraction}, at least one)
     * and test (at least one). As in Liang et al.'s protocol, held-out pairs of items that no training user has are dropped from both
     * parts: no model has learned anything about those items, and the evaluation ranks only trained items.
     */
    private static PairSplit strongSplit(Interactions data, int[][] byUser, boolean[] heldOut, double foldInFraction,
                                         SplittableRandom random) {
        IntList train = new IntList(data.size());
        IntList foldIn = new IntList(data.size() / 4);
        IntList test = new IntList(data.size() / 4);
        boolean[] trained = new boolean[data.itemCount()];
        for (int u = 0; u < byUser.length; u++) {
            if (heldOut[u] == false) {
                train.addAll(byUser[u], 0, byUser[u].length);
                for (int p : byUser[u]) {
                    trained[data.item()[p]] = true;
                }
            }
        }
        for (int u = 0; u < byUser.length; u++) {
            if (heldOut[u]) {
                int[] pairs = byUser[u];
                shuffle(pairs, random);
                int n = Math.min(pairs.length - 1, Math.max(1, (int) Math.round(foldInFraction * pairs.length)));
                for (int j = 0; j < pairs.length; j++) {
                    if (trained[data.item()[pairs[j]]]) {
                        (j < n ? foldIn : test).add(pairs[j]);
                    }
                }
            }
        }
        return new PairSplit(train.toArray(), test.toArray(), foldIn.toArray());
    }

    /**
     * Splits of the pairs for rating prediction: with {@code folds >= 2}, K-fold cross-validation over one seeded permutation (fold
     * {@code f} tests the pairs at permutation positions {@code = f mod K}); with one fold, a single random split testing
     * {@code fraction} of the pairs.
     */
    public static PairSplit[] ratingsFolds(Interactions data, int folds, double fraction, long seed) {
        int n = data.size();
        int[] perm = new int[n];
        for (int p = 0; p < n; p++) {
            perm[p] = p;
        }
        shuffle(perm, new SplittableRandom(seed));
        if (folds == 1) {
            int t = (int) Math.round(fraction * n);
            int[] test = Arrays.copyOfRange(perm, 0, t);
            int[] train = Arrays.copyOfRange(perm, t, n);
            Arrays.sort(test);
            Arrays.sort(train);
            return new PairSplit[] { new PairSplit(train, test, new int[0]) };
        }
        PairSplit[] out = new PairSplit[folds];
        for (int f = 0; f < folds; f++) {
            IntList train = new IntList(n);
            IntList test = new IntList(n / folds + 1);
            for (int q = 0; q < n; q++) {
                (q % folds == f ? test : train).add(perm[q]);
            }
            int[] tr = train.toArray();
            int[] te = test.toArray();
            Arrays.sort(tr);
            Arrays.sort(te);
            out[f] = new PairSplit(tr, te, new int[0]);
        }
        return out;
    }

    /** Each user's pair indices, in pair order. */
    static int[][] byUser(Interactions data) {
        int[] count = new int[data.userCount()];
        for (int u : data.user()) {
            count[u]++;
        }
        int[][] out = new int[count.length][];
        for (int u = 0; u < count.length; u++) {
            out[u] = new int[count[u]];
        }
        int[] fill = new int[count.length];
        for (int p = 0; p < data.size(); p++) {
            int u = data.user()[p];
            out[u][fill[u]++] = p;
        }
        return out;
    }

    static void shuffle(int[] a, SplittableRandom random) {
        for (int j = a.length - 1; j > 0; j--) {
            int k = random.nextInt(j + 1);
            int t = a[j];
            a[j] = a[k];
            a[k] = t;
        }
    }

    /** A growable int array, so the splits stay primitive. */
    static final class IntList {
        private int[] a;
        private int n;

        IntList(int capacity) {
            a = new int[Math.max(4, capacity)];
        }

        void add(int v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        void addAll(int[] src, int from, int to) {
            for (int j = from; j < to; j++) {
                add(src[j]);
            }
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
