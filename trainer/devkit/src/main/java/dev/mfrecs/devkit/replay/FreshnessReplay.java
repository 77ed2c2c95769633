package dev.mfrecs.devkit.replay;

import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.evaluation.RetailCsv;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.FactorModel;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.ImplicitFoldIn;
import dev.mfrecs.factorization.ImplicitItemSide;
import dev.mfrecs.trainer.data.IdDictionary;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.factorization.AttributeRegression;
import dev.mfrecs.trainer.train.ImplicitTrainer;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Replays the bundled Online Retail log to measure freshness: a model trained on purchases before a cut-off, then the following
 * days walked in time order; before each purchase of an item new to the customer, the customer's top-10 is computed as the plugin
 * would compute it, in four arms: the stored user vector and seen items as trained ({@code stale}) or folded in again from the
 * whole history up to that moment with every seen item excluded ({@code fresh}, the plugin's {@code fresh: true}); and items the
 * model was not trained on left out or given a vector each simulated day from the stored users who bought them ({@code refresh},
 * what {@code mfrecs refresh-items} does). A purchase is a hit when its item is in the top-10.
 * <p>
 * A second experiment holds 10% of the products out of training entirely and gives them provisional vectors from their catalog
 * attributes ({@link AttributeRegression}: description tokens, price, country), against the baseline of placing each at the centroid
 * of the 100 most popular items' vectors, and reports HR@10 on the purchases of those products.
 */
public final class FreshnessReplay {

    /** One purchase line: customer, product, time. */
    record Event(String user, String item, long time) {}

    /** HR@10, NDCG@10 and HR@100 of one arm. */
    static final class Arm {
        double hits;
        double ndcg;
        double hits100;
        int n;

        void add(int rank) {
            n++;
            if (rank < 10) {
                hits++;
                ndcg += 1 / (Math.log(rank + 2) / Math.log(2));
            }
            if (rank < 100) {
                hits100++;
            }
        }

        String row(String name) {
            return String.format(Locale.ROOT, "| %s | %d | %.4f | %.4f | %.4f |", name, n, n == 0 ? 0 : hits / n, n == 0 ? 0 : ndcg / n,
                n == 0 ? 0 : hits100 / n);
        }
    }

    /** Ranks are counted up to this (beyond it a purchase is a miss for every reported metric). */
    static final int RANK_LIMIT = 100;

    private final ImplicitAlsParams params;
    private final ProgressLog log;

    public FreshnessReplay(ImplicitAlsParams params, ProgressLog log) {
        this.params = params;
        this.log = log;
    }

    /** Runs both experiments and returns the Markdown table lines. */
    public List<String> run(Path csvGz, Instant cutoff, int days, int sampleEvery) throws IOException {
        List<Event> events = new ArrayList<>();
        Map<String, Map<String, Object>> attributes = new HashMap<>();
        RetailCsv.read(csvGz, line -> {
            if (line.customer().isEmpty() || line.isReturn() || line.quantity() <= 0) {
                return;
            }
            events.add(new Event(line.customer(), line.stock(), Instant.parse(line.timestamp()).toEpochMilli()));
            attributes.computeIfAbsent(line.stock(), k -> {
                Map<String, Object> a = new LinkedHashMap<>();
                a.put("description", line.description());
                a.put("price", line.price());
                a.put("country", line.country());
                return a;
            });
        });
        events.sort((a, b) -> Long.compare(a.time(), b.time()));
        long end = cutoff.plus(days, ChronoUnit.DAYS).toEpochMilli();
        List<String> lines = new ArrayList<>();
        lines.add("| arm | purchases | HR@10 | NDCG@10 | HR@100 |");
        lines.add("| --- | --- | --- | --- | --- |");
        Arm[] arms = freshness(events, cutoff.toEpochMilli(), end, sampleEvery, Set.of());
        String[] names = { "stale, no item refresh", "stale, item refresh daily", "fresh, no item refresh", "fresh, item refresh daily" };
        for (int a = 0; a < 4; a++) {
            lines.add(arms[a].row(names[a]));
        }
        lines.add(arms[4].row("purchases of items added after the cut-off, no item refresh"));
        lines.add(arms[5].row("purchases of items added after the cut-off, item refresh daily"));
        lines.add("");
        lines.add("| new products (10% held out of training) | purchases | HR@10 | NDCG@10 | HR@100 |");
        lines.add("| --- | --- | --- | --- | --- |");
        Arm[] cold = attributes(events, attributes, cutoff.toEpochMilli(), end);
        lines.add(cold[0].row("centroid of the 100 most popular items (popularity placement)"));
        lines.add(cold[1].row("predicted from catalog attributes (regression output as is)"));
        lines.add(cold[2].row("predicted from catalog attributes (AttributeRegression: its direction at the median item norm)"));
        return lines;
    }

    /**
     * The model trained on the purchases before the cut-off, with its id dictionaries, matrix and both Gram matrices, which every
     * arm folds in, refreshes and ranks against.
     */
    private record Trained(IdDictionary users, IdDictionary items, FactorModel factors, CsrMatrix matrix, float[] gram,
                           float[] userGram) {}

    private Trained train(List<Event> events, long cutoff, Set<String> heldOut) {
        InteractionMatrix.Accumulator acc = new InteractionMatrix.Accumulator(DuplicatePolicy.SUM);
        for (Event e : events) {
            if (e.time() < cutoff && heldOut.contains(e.item()) == false) {
                acc.add(e.user(), e.item(), 1f);
            }
        }
        InteractionMatrix data = acc.build(1, 1);
        ImplicitTrainer.Fit fit = ImplicitTrainer.fit(data.userItems(), params, log);
        return new Trained(data.users(), data.items(), fit.factors(), data.userItems(), fit.gram(), fit.userGram());
    }

    /** The four freshness arms: [stale, stale+refresh, fresh, fresh+refresh]. */
    private Arm[] freshness(List<Event> events, long cutoff, long end, int sampleEvery, Set<String> heldOut) {
        Trained t = train(events, cutoff, heldOut);
        int d = t.factors().factors();
        ImplicitItemSide itemSide = new ImplicitItemSide(t.gram(), t.items().size(), params.regularization(), params.confidence(),
            params.rendle());
        ImplicitItemSide userSide = new ImplicitItemSide(t.userGram(), t.users().size(), params.regularization(), params.confidence(),
            params.rendle());
        Map<String, Map<String, Float>> history = trainingHistories(t);
        Map<String, Map<String, Float>> recent = new HashMap<>();
        Map<String, Map<String, Float>> newItemBuyers = new HashMap<>();
        Map<String, float[]> refreshed = new HashMap<>();
        long day = cutoff;
        Arm[] arms = { new Arm(), new Arm(), new Arm(), new Arm(), new Arm(), new Arm() };
        ImplicitFoldIn foldIn = new ImplicitFoldIn(d);
        int eligible = 0;
        for (Event e : events) {
            if (e.time() < cutoff) {
                continue;
            }
            if (e.time() >= end) {
                break;
            }
            while (e.time() >= day + 86_400_000L) {
                day += 86_400_000L;
                refreshItems(t, userSide, newItemBuyers, refreshed, d);
            }
            Map<String, Float> trained = history.getOrDefault(e.user(), Map.of());
            Map<String, Float> since = recent.computeIfAbsent(e.user(), k -> new LinkedHashMap<>());
            boolean seenBefore = trained.containsKey(e.item()) || since.containsKey(e.item());
            if (seenBefore == false && eligible++ % sampleEvery == 0) {
                int u = t.users().indexOf(e.user());
                float[] stored = u < 0 ? null : Arrays.copyOfRange(t.factors().userFactors(), u * d, (u + 1) * d);
                Map<String, Float> whole = new LinkedHashMap<>(trained);
                since.forEach((item, v) -> whole.merge(item, v, Float::sum));
                float[] fresh = since.isEmpty() && stored != null ? stored : fold(foldIn, itemSide, t, whole, d);
                // A user the model was not trained on is folded in from what they did since, in every arm (the plugin does too).
                float[] staleVector = stored != null ? stored : fold(foldIn, itemSide, t, since, d);
                Set<String> staleSeen = stored != null ? trained.keySet() : since.keySet();
                arms[0].add(rank(t, staleVector, staleSeen, Map.of(), e.item()));
                arms[1].add(rank(t, staleVector, staleSeen, refreshed, e.item()));
                arms[2].add(rank(t, fresh, whole.keySet(), Map.of(), e.item()));
                arms[3].add(rank(t, fresh, whole.keySet(), refreshed, e.item()));
                if (t.items().indexOf(e.item()) < 0) {
                    arms[4].add(rank(t, fresh, whole.keySet(), Map.of(), e.item()));
                    arms[5].add(rank(t, fresh, whole.keySet(), refreshed, e.item()));
                }
            }
            since.merge(e.item(), 1f, Float::sum);
            if (t.items().indexOf(e.item()) < 0) {
                newItemBuyers.computeIfAbsent(e.item(), k -> new LinkedHashMap<>()).merge(e.user(), 1f, Float::sum);
            }
        }
        log.step("replayed " + arms[0].n + " purchases of items new to the customer");
        return arms;
    }

    private static Map<String, Map<String, Float>> trainingHistories(Trained t) {
        Map<String, Map<String, Float>> out = new HashMap<>();
        CsrMatrix m = t.matrix();
        for (int u = 0; u < m.rows(); u++) {
            Map<String, Float> h = new LinkedHashMap<>();
            for (int p = m.indptr()[u]; p < m.indptr()[u + 1]; p++) {
                h.put(t.items().id(m.indices()[p]), m.values()[p]);
            }
            out.put(t.users().id(u), h);
        }
        return out;
    }

    /** A user folded in from {@code history} against the trained items (unknown items ignored); null when nothing is known. */
    private static float[] fold(ImplicitFoldIn foldIn, ImplicitItemSide side, Trained t, Map<String, Float> history, int d) {
        List<Integer> rows = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        history.forEach((item, v) -> {
            int i = t.items().indexOf(item);
            if (i >= 0) {
                rows.add(i);
                values.add(v);
            }
        });
        if (rows.isEmpty()) {
            return null;
        }
        float[] hv = new float[rows.size() * d];
        float[] hval = new float[rows.size()];
        for (int j = 0; j < rows.size(); j++) {
            System.arraycopy(t.factors().itemFactors(), rows.get(j) * d, hv, j * d, d);
            hval[j] = values.get(j);
        }
        float[] x = new float[d];
        foldIn.foldIn(side, hv, hval, rows.size(), x);
        return x;
    }

    /** New items get a vector from the stored users who bought them so far: the item half-sweep's solve, as refresh-items does. */
    private static void refreshItems(Trained t, ImplicitItemSide userSide, Map<String, Map<String, Float>> buyers,
                                     Map<String, float[]> refreshed, int d) {
        ImplicitFoldIn foldIn = new ImplicitFoldIn(d);
        buyers.forEach((item, users) -> {
            List<Integer> rows = new ArrayList<>();
            List<Float> values = new ArrayList<>();
            users.forEach((user, v) -> {
                int u = t.users().indexOf(user);
                if (u >= 0) {
                    rows.add(u);
                    values.add(v);
                }
            });
            if (rows.isEmpty()) {
                return;
            }
            float[] hv = new float[rows.size() * d];
            float[] hval = new float[rows.size()];
            for (int j = 0; j < rows.size(); j++) {
                System.arraycopy(t.factors().userFactors(), rows.get(j) * d, hv, j * d, d);
                hval[j] = values.get(j);
            }
            float[] y = new float[d];
            foldIn.foldIn(userSide, hv, hval, rows.size(), y);
            refreshed.put(item, y);
        });
    }

    /** The 0-based rank of {@code target} for {@code x} among the trained items and {@code extra}, {@code seen} excluded. */
    private static int rank(Trained t, float[] x, Set<String> seen, Map<String, float[]> extra, String target) {
        if (x == null) {
            return Integer.MAX_VALUE;
        }
        int d = x.length;
        float[] items = t.factors().itemFactors();
        int i = t.items().indexOf(target);
        float[] targetVector = i >= 0 ? Arrays.copyOfRange(items, i * d, (i + 1) * d) : extra.get(target);
        if (targetVector == null) {
            return Integer.MAX_VALUE;
        }
        double score = dot(targetVector, 0, x);
        int rank = 0;
        for (int j = 0; j < t.items().size() && rank < RANK_LIMIT; j++) {
            if (j != i && dot(items, j * d, x) > score && seen.contains(t.items().id(j)) == false) {
                rank++;
            }
        }
        for (Map.Entry<String, float[]> e : extra.entrySet()) {
            if (rank >= RANK_LIMIT) {
                break;
            }
            if (e.getKey().equals(target) == false && seen.contains(e.getKey()) == false && dot(e.getValue(), 0, x) > score) {
                rank++;
            }
        }
        return rank;
    }

    private static double dot(float[] a, int off, float[] x) {
        double s = 0;
        for (int j = 0; j < x.length; j++) {
            s += a[off + j] * x[j];
        }
        return s;
    }

    /** The cold-start experiment: [popularity placement, attributes] HR@10 on purchases of held-out products. */
    private Arm[] attributes(List<Event> events, Map<String, Map<String, Object>> attributes, long cutoff, long end) {
        Set<String> heldOut = new HashSet<>();
        for (String item : attributes.keySet()) {
            if (Math.floorMod(item.hashCode() * 0x9E3779B1, 10) == 0) {
                heldOut.add(item);
            }
        }
        Trained t = train(events, cutoff, heldOut);
        int d = t.factors().factors();
        List<Map<String, Object>> trainedAttributes = new ArrayList<>();
        for (int i = 0; i < t.items().size(); i++) {
            trainedAttributes.add(attributes.get(t.items().id(i)));
        }
        AttributeRegression model = AttributeRegression.fit(trainedAttributes, t.factors().itemFactors(), d, 10.0);
        float[] centroid = popularCentroid(t, d);
        Map<String, float[]> predicted = new HashMap<>();
        Map<String, float[]> scaled = new HashMap<>();
        Map<String, float[]> placed = new HashMap<>();
        for (String item : heldOut) {
            predicted.put(item, model.predictRaw(attributes.get(item)));
            scaled.put(item, model.predict(attributes.get(item)));
            placed.put(item, centroid);
        }
        Map<String, Map<String, Float>> history = trainingHistories(t);
        ImplicitItemSide itemSide = new ImplicitItemSide(t.gram(), t.items().size(), params.regularization(), params.confidence(),
            params.rendle());
        ImplicitFoldIn foldIn = new ImplicitFoldIn(d);
        Map<String, Map<String, Float>> recent = new HashMap<>();
        Arm[] arms = { new Arm(), new Arm(), new Arm() };
        for (Event e : events) {
            if (e.time() < cutoff) {
                continue;
            }
            if (e.time() >= end) {
                break;
            }
            Map<String, Float> since = recent.computeIfAbsent(e.user(), k -> new LinkedHashMap<>());
            if (heldOut.contains(e.item()) && since.containsKey(e.item()) == false) {
                Map<String, Float> whole = new LinkedHashMap<>(history.getOrDefault(e.user(), Map.of()));
                since.forEach((item, v) -> whole.merge(item, v, Float::sum));
                float[] x = fold(foldIn, itemSide, t, whole, d);
                arms[0].add(rank(t, x, whole.keySet(), placed, e.item()));
                arms[1].add(rank(t, x, whole.keySet(), predicted, e.item()));
                arms[2].add(rank(t, x, whole.keySet(), scaled, e.item()));
            }
            since.merge(e.item(), 1f, Float::sum);
        }
        log.step("scored " + arms[0].n + " purchases of " + heldOut.size() + " products held out of training");
        return arms;
    }

    private static float[] popularCentroid(Trained t, int d) {
        float[] popularity = new float[t.items().size()];
        CsrMatrix m = t.matrix();
        for (int k = 0; k < m.nnz(); k++) {
            popularity[m.indices()[k]]++;
        }
        Integer[] order = new Integer[popularity.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(popularity[b], popularity[a]));
        float[] c = new float[d];
        int n = Math.min(100, order.length);
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < d; j++) {
                c[j] += t.factors().itemFactors()[order[r] * d + j] / n;
            }
        }
        return c;
    }
}
