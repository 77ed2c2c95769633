package dev.mfrecs.evaluation;

import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.TopK;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;

/**
 * Runs one model through one protocol: splits (or takes a given split), trains on the training pairs with wall-clock timing, then
 * ranks for every evaluated user and accumulates {@link RankingMetrics}. Ranks are exact: a held-out item's rank is 1 plus the
 * number of eligible items scoring higher (ties go to the smaller item index, the order {@link TopK} uses); eligible means not in the
 * user's training pairs (or fold-in pairs), and NaN scores rank last. Users are scored in parallel into per-user slots and summed in
 * user order, so results do not depend on the thread count.
 */
public final class Evaluator {

    private Evaluator() {}

    public static EvalResult evaluate(ModelSpec spec, Interactions data, EvalOptions options) {
        if (options.protocol() == Protocol.RATINGS) {
            return evaluateRatings(spec, data, options);
        }
        return evaluateSplit(spec, data, Splitter.split(data, options), options);
    }

    /** Trains on {@code split.train()} and ranks {@code split.test()} (strong generalization: after folding in {@code foldIn()}). */
    public static EvalResult evaluateSplit(ModelSpec spec, Interactions data, PairSplit split, EvalOptions options) {
        return evaluateSplit(spec, data, split, options, null);
    }

    /**
     * As {@link #evaluateSplit(ModelSpec, Interactions, PairSplit, EvalOptions)}; {@code categories} (per item, its category ids, from
     * {@link ItemAttributes}; may be null) adds {@code categories@10}.
     */
    public static EvalResult evaluateSplit(ModelSpec spec, Interactions data, PairSplit split, EvalOptions options, int[][] categories) {
        return evaluateSplit(spec.create(options.seed(), options.threads()), spec.model(), spec.orderedParams(), data, split, options,
            categories);
    }

    /** As {@link #evaluateSplit(ModelSpec, Interactions, PairSplit, EvalOptions)} for an already constructed recommender. */
    public static EvalResult evaluateSplit(Recommender rec, String model, Map<String, Object> params, Interactions data, PairSplit split,
                                           EvalOptions options) {
        return evaluateSplit(rec, model, params, data, split, options, null);
    }

    /**
     * The evaluation itself. Under strong generalization ({@link Protocol#STRONG}, or a split with fold-in pairs) items without a
     * training pair are not ranked (no model learned them; Liang et al. 2018 drop them); beyond-accuracy figures
     * ({@link BeyondAccuracy}) are added for full rankings.
     */
    static EvalResult evaluateSplit(Recommender rec, String model, Map<String, Object> params, Interactions data, PairSplit split,
                                    EvalOptions options, int[][] categories) {
        CsrMatrix train = data.subset(split.train()).toMatrix();
        CsrMatrix test = data.subset(split.test()).toMatrix();
        boolean strong = split.foldIn().length > 0 || options.protocol() == Protocol.STRONG;
        CsrMatrix history = strong ? data.subset(split.foldIn()).toMatrix() : train;
        // strong generalization trains on the training users and items only, as if the held-out users did not exist: their empty
        // rows and the items no training user has would otherwise count in |U| and |I| (Rendle et al.'s alpha0 |I| and
        // frequency-scaled regularization) and shift the random initialization
        Compact compact = strong ? Compact.of(train) : null;
        long start = System.nanoTime();
        int iterations = rec.fit(compact == null ? train : compact.matrix());
        double seconds = (System.nanoTime() - start) / 1e9;
        int items = data.itemCount();
        int[] evalUsers = IntStream.range(0, test.rows()).filter(u -> test.indptr()[u + 1] > test.indptr()[u]).toArray();
        int[][] negatives = options.sampled() > 0 ? sampleNegatives(evalUsers, train, test, options.sampled(), options.seed()) : null;
        int maxK = options.maxCutoff();
        int listLength = Math.max(maxK, BeyondAccuracy.K);
        int[][] ranks = new int[evalUsers.length][];
        int[][] tops = new int[evalUsers.length][];
        ThreadLocal<float[]> scratch = ThreadLocal.withInitial(() -> new float[items]);
        ThreadLocal<float[]> compactScratch = ThreadLocal.withInitial(() -> new float[compact == null ? 0 : compact.matrix().cols()]);
        parallel(options.threads(), evalUsers.length, e -> {
            int u = evalUsers[e];
            float[] scores = scratch.get();
            if (strong) {
                int from = history.indptr()[u];
                int to = history.indptr()[u + 1];
                int[] known = new int[to - from];
                float[] values = new float[to - from];
                int n = 0;
                for (int p = from; p < to; p++) {
                    int c = compact.column()[history.indices()[p]];
                    if (c >= 0) {
                        known[n] = c;
                        values[n++] = history.values()[p];
                    }
                }
                float[] inner = compactScratch.get();
                rec.scoreHistory(known, values, n, inner);
                for (int i = 0; i < items; i++) {
                    int c = compact.column()[i];
                    scores[i] = c >= 0 ? inner[c] : Float.NaN;
                }
            } else {
                rec.scoreUser(u, scores);
            }
            for (int i = 0; i < items; i++) {
                if (scores[i] != scores[i]) {
                    scores[i] = Float.NEGATIVE_INFINITY;
                }
            }
            for (int p = history.indptr()[u]; p < history.indptr()[u + 1]; p++) {
                scores[history.indices()[p]] = Float.NaN; // not eligible
            }
            int from = test.indptr()[u];
            int n = test.indptr()[u + 1] - from;
            int[] r = new int[n];
            for (int j = 0; j < n; j++) {
                int t = test.indices()[from + j];
                r[j] = negatives == null ? rankAmongAll(scores, items, t) : rankAmong(scores, negatives[e], t);
            }
            Arrays.sort(r);
            ranks[e] = r;
            if (negatives == null) {
                tops[e] = TopK.topK(scores, items, listLength, null);
            }
        });
        MetricsAccumulator acc = new MetricsAccumulator(options.cutoffs(), items);
        for (int e = 0; e < evalUsers.length; e++) {
            acc.addUser(ranks[e], ranks[e].length);
            if (tops[e] != null) {
                acc.addTop(Arrays.copyOf(tops[e], Math.min(maxK, tops[e].length)));
            }
        }
        Map<String, Double> metrics = acc.means();
        if (negatives == null) {
            metrics.putAll(new BeyondAccuracy(train).measure(tops, categories));
        }
        int pairs = split.train().length + split.test().length + split.foldIn().length;
        return new EvalResult(model, params, options.protocolName(), metrics, seconds,
            iterations == 0 ? 0 : seconds / iterations, acc.users(), data.userCount(), items, pairs);
    }

    /** Rating prediction: RMSE and MAE of predictions clamped to the training values' range, pooled over all folds' test pairs. */
    static EvalResult evaluateRatings(ModelSpec spec, Interactions data, EvalOptions options) {
        return evaluateRatings(spec, data, Splitter.ratingsFolds(data, options.folds(), options.holdoutFraction(), options.seed()),
            options);
    }

    /** As {@link #evaluateRatings(ModelSpec, Interactions, EvalOptions)} on given splits (the test pairs are pooled). */
    public static EvalResult evaluateRatings(ModelSpec spec, Interactions data, PairSplit[] folds, EvalOptions options) {
        MetricsAccumulator acc = new MetricsAccumulator(options.cutoffs(), 0);
        double seconds = 0;
        int iterations = 0;
        boolean[] evaluated = new boolean[data.userCount()];
        for (PairSplit fold : folds) {
            Interactions train = data.subset(fold.train());
            Recommender rec = spec.create(options.seed(), options.threads());
            if (rec.predictsRatings() == false) {
                throw new IllegalArgumentException("[--protocol] [ratings] needs a rating model ([als], [funk] or "
                    + "[biases]) (model was [" + spec.model() + "])");
            }
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (float v : train.value()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            long start = System.nanoTime();
            iterations = rec.fit(train.toMatrix());
            seconds += (System.nanoTime() - start) / 1e9;
            for (int p : fold.test()) {
                int u = data.user()[p];
                float predicted = Math.max(min, Math.min(max, rec.predict(u, data.item()[p])));
                acc.addError(data.value()[p] - predicted);
                evaluated[u] = true;
            }
        }
        int users = 0;
        for (boolean b : evaluated) {
            users += b ? 1 : 0;
        }
        seconds /= folds.length;
        return new EvalResult(spec.model(), spec.orderedParams(), options.protocolName(), acc.means(), seconds,
            iterations == 0 ? 0 : seconds / iterations, users, data.userCount(), data.itemCount(), data.size());
    }

    /**
     * The training matrix restricted to the users and items that have a training pair, renumbered densely in their order.
     *
     * @param column per original item, its column in {@code matrix}, or -1 for an item without a training pair
     */
    record Compact(CsrMatrix matrix, int[] column) {

        static Compact of(CsrMatrix train) {
            int[] column = new int[train.cols()];
            Arrays.fill(column, -1);
            for (int p = 0; p < train.nnz(); p++) {
                column[train.indices()[p]] = 0;
            }
            int items = 0;
            for (int i = 0; i < column.length; i++) {
                column[i] = column[i] == 0 ? items++ : -1;
            }
            int users = 0;
            int[] rows = new int[train.nnz()];
            int[] cols = new int[train.nnz()];
            for (int u = 0; u < train.rows(); u++) {
                int from = train.indptr()[u];
                int to = train.indptr()[u + 1];
                if (to > from) {
                    for (int p = from; p < to; p++) {
                        rows[p] = users;
                        cols[p] = column[train.indices()[p]];
                    }
                    users++;
                }
            }
            return new Compact(CsrMatrix.fromTriplets(users, items, rows, cols, train.values(), train.nnz()), column);
        }
    }

    /** 1 + the number of eligible (non-NaN) items ranked before item {@code t}; past every item when {@code t} is not eligible. */
    static int rankAmongAll(float[] scores, int items, int t) {
        float st = scores[t];
        if (st != st) {
            return items + 1;
        }
        int better = 0;
        for (int j = 0; j < items; j++) {
            float s = scores[j];
            if (s > st || (s == st && j < t)) {
                better++;
            }
        }
        return better + 1;
    }

    /** 1 + the number of {@code candidates} ranked before item {@code t}; past every candidate when {@code t} is not eligible. */
    static int rankAmong(float[] scores, int[] candidates, int t) {
        float st = scores[t];
        if (st != st) {
            return candidates.length + 2;
        }
        int better = 0;
        for (int j : candidates) {
            float s = scores[j];
            if (s > st || (s == st && j < t)) {
                better++;
            }
        }
        return better + 1;
    }

    /**
     * For each evaluated user, {@code count} distinct items drawn uniformly (seeded, in user order) from the items the user has
     * neither in training nor in test (fewer if the catalog is too small).
     */
    static int[][] sampleNegatives(int[] evalUsers, CsrMatrix train, CsrMatrix test, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int items = train.cols();
        boolean[] taken = new boolean[items];
        int[][] out = new int[evalUsers.length][];
        for (int e = 0; e < evalUsers.length; e++) {
            int u = evalUsers[e];
            int seen = 0;
            for (CsrMatrix m : new CsrMatrix[] { train, test }) {
                for (int p = m.indptr()[u]; p < m.indptr()[u + 1]; p++) {
                    if (taken[m.indices()[p]] == false) {
                        taken[m.indices()[p]] = true;
                        seen++;
                    }
                }
            }
            int n = Math.min(count, items - seen);
            int[] neg = new int[n];
            for (int j = 0; j < n; j++) {
                int i;
                do {
                    i = random.nextInt(items);
                } while (taken[i]);
                taken[i] = true;
                neg[j] = i;
            }
            for (int i : neg) {
                taken[i] = false;
            }
            for (CsrMatrix m : new CsrMatrix[] { train, test }) {
                for (int p = m.indptr()[u]; p < m.indptr()[u + 1]; p++) {
                    taken[m.indices()[p]] = false;
                }
            }
            out[e] = neg;
        }
        return out;
    }

    /** Runs {@code body(e)} for {@code e in [0, n)} on a pool of {@code threads} workers. */
    static void parallel(int threads, int n, IntConsumer body) {
        if (threads <= 1) {
            for (int e = 0; e < n; e++) {
                body.accept(e);
            }
            return;
        }
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(() -> IntStream.range(0, n).parallel().forEach(body)).join();
        } finally {
            pool.shutdown();
        }
    }
}
