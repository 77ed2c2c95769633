package dev.mfrecs.trainer.train;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.ExplicitFoldIn;
import dev.mfrecs.factorization.ImplicitFoldIn;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelArtifacts;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Measures the publish gate's metric for the new and the live model on the same held-out interactions: for a sample of users,
 * each user's most recent item is held out, the rest of their history is folded into each model (with each model's own item
 * side, as the plugin would for a user it does not store), and the rank of the held-out item among that model's items (history
 * excluded) gives NDCG@k and HR@k. The held-out pairs were part of the new model's training data and may have been part of the
 * live model's, so this is a check that the new model is not broken or much worse, not an unbiased benchmark.
 */
final class GateEvaluator {

    /** Users sampled: enough to see a broken model, few enough to score every item for each in seconds. */
    static final int USERS = 200;

    /** The mean gain of the new and the live model over the same held-out users, which the gate compares (and the run records). */
    record Scores(double candidate, double live, int users) {}

    private GateEvaluator() {}

    static Scores evaluate(ElasticsearchClient client, ModelArtifacts candidate, InteractionMatrix data, ModelMetadata live,
                           PublishGate.Condition condition, ProgressLog log) throws IOException {
        Catalog newItems = new Catalog(candidate.itemIds(), candidate.itemVectors(), candidate.vectorDims());
        Catalog liveItems = Catalog.read(client, live);
        CsrMatrix m = data.userItems();
        List<Integer> users = new ArrayList<>();
        for (int u = 0; u < m.rows(); u++) {
            if (m.indptr()[u + 1] - m.indptr()[u] >= 2) {
                users.add(u);
            }
        }
        SplittableRandom random = new SplittableRandom(17);
        for (int i = users.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = users.get(i);
            users.set(i, users.get(j));
            users.set(j, t);
        }
        double candidateSum = 0;
        double liveSum = 0;
        int n = Math.min(USERS, users.size());
        for (int s = 0; s < n; s++) {
            int u = users.get(s);
            int from = m.indptr()[u];
            int to = m.indptr()[u + 1];
            int held = from;
            for (int p = from; p < to; p++) {
                if (data.times() != null ? data.times()[p] > data.times()[held] : p == to - 1) {
                    held = p;
                }
            }
            Map<String, Float> history = new HashMap<>();
            for (int p = from; p < to; p++) {
                if (p != held) {
                    history.put(data.items().id(m.indices()[p]), m.values()[p]);
                }
            }
            String target = data.items().id(m.indices()[held]);
            candidateSum += gain(candidate.metadata(), newItems, history, target, condition);
            liveSum += gain(live, liveItems, history, target, condition);
        }
        Scores scores = new Scores(n == 0 ? 0 : candidateSum / n, n == 0 ? 0 : liveSum / n, n);
        log.step(String.format(Locale.ROOT, "gate: %s@%d new %.4f, live v%d %.4f, over %d held-out users", condition.metric(),
            condition.k(), scores.candidate(), live.version(), scores.live(), n));
        return scores;
    }

    /** The user's gain for {@code target} under one model: NDCG@k or HR@k of its rank, 0 when the model cannot rank it. */
    private static double gain(ModelMetadata model, Catalog items, Map<String, Float> history, String target,
                               PublishGate.Condition condition) {
        Integer targetRow = items.rows.get(target);
        if (targetRow == null) {
            return 0;
        }
        List<Integer> rows = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        history.forEach((item, v) -> {
            Integer r = items.rows.get(item);
            if (r != null) {
                rows.add(r);
                values.add(v);
            }
        });
        if (rows.isEmpty()) {
            return 0;
        }
        float[] user = foldIn(model, items, rows, values);
        if (user == null) {
            return 0;
        }
        Set<Integer> seen = new HashSet<>(rows);
        int d = items.dims;
        double targetScore = dot(items.vectors, targetRow * d, user, d);
        int rank = 0;
        for (int i = 0; i < items.ids.size() && rank < condition.k(); i++) {
            if (i != targetRow && seen.contains(i) == false && dot(items.vectors, i * d, user, d) > targetScore) {
                rank++;
            }
        }
        if (rank >= condition.k()) {
            return 0;
        }
        return "hr".equals(condition.metric()) ? 1 : 1 / (Math.log(rank + 2) / Math.log(2));
    }

    private static float[] foldIn(ModelMetadata model, Catalog items, List<Integer> rows, List<Float> values) {
        int k = rows.size();
        int dims = items.dims;
        float[] hv = new float[k * dims];
        float[] hval = new float[k];
        for (int j = 0; j < k; j++) {
            System.arraycopy(items.vectors, rows.get(j) * dims, hv, j * dims, dims);
            hval[j] = values.get(j);
        }
        float[] x = new float[dims];
        if (model.isExplicit()) {
            int d = model.factors();
            float[] q = new float[k * d];
            float[] b = new float[k];
            for (int j = 0; j < k; j++) {
                System.arraycopy(hv, j * dims, q, j * d, d);
                b[j] = hv[j * dims + d];
            }
            float[] p = new float[d];
            new ExplicitFoldIn(d).foldIn(model.explicit().globalMean(), model.regularization(), q, b, hval, k, p);
            System.arraycopy(p, 0, x, 0, d);
            x[d] = 1f;
        } else {
            new ImplicitFoldIn(model.factors()).foldIn(model.implicitItemSide(), hv, hval, k, x);
        }
        return x;
    }

    private static double dot(float[] flat, int off, float[] x, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += flat[off + j] * x[j];
        }
        return s;
    }

    /** A model's items: ids, row-major vectors and the row of each id. */
    private static final class Catalog {
        final List<String> ids;
        final float[] vectors;
        final int dims;
        final Map<String, Integer> rows = new HashMap<>();

        Catalog(List<String> ids, float[] vectors, int dims) {
            this.ids = ids;
            this.vectors = vectors;
            this.dims = dims;
            for (int i = 0; i < ids.size(); i++) {
                rows.put(ids.get(i), i);
            }
        }

        /** The live version's item vectors, read with a point-in-time scan of its items index. */
        @SuppressWarnings({ "rawtypes", "unchecked" })
        static Catalog read(ElasticsearchClient client, ModelMetadata live) throws IOException {
            int d = live.vectorDims();
            List<String> ids = new ArrayList<>();
            List<float[]> rows = new ArrayList<>();
            String index = live.itemsIndex();
            String pit = client.openPointInTime(p -> p.index(index).keepAlive(k -> k.time("2m"))).id();
            try {
                List<FieldValue> after = null;
                while (true) {
                    final List<FieldValue> searchAfter = after;
                    SearchResponse<Map> page = client.search(s -> {
                        s.pit(p -> p.id(pit).keepAlive(k -> k.time("2m"))).size(5_000).allowPartialSearchResults(false)
                            .sort(o -> o.field(f -> f.field("_shard_doc").order(SortOrder.Asc)))
                            .source(src -> src.filter(f -> f.includes(ModelIndices.ITEM_ID, ModelIndices.VECTOR)));
                        if (searchAfter != null) {
                            s.searchAfter(searchAfter);
                        }
                        return s;
                    }, Map.class);
                    if (page.hits().hits().isEmpty()) {
                        break;
                    }
                    for (Hit<Map> hit : page.hits().hits()) {
                        List<Number> v = (List<Number>) hit.source().get(ModelIndices.VECTOR);
                        float[] f = new float[d];
                        for (int j = 0; j < d; j++) {
                            f[j] = v.get(j).floatValue();
                        }
                        ids.add(String.valueOf(hit.source().get(ModelIndices.ITEM_ID)));
                        rows.add(f);
                    }
                    after = page.hits().hits().get(page.hits().hits().size() - 1).sort();
                }
            } finally {
                client.closePointInTime(c -> c.id(pit));
            }
            float[] flat = new float[ids.size() * d];
            for (int i = 0; i < rows.size(); i++) {
                System.arraycopy(rows.get(i), 0, flat, i * d, d);
            }
            return new Catalog(ids, flat, d);
        }
    }
}
