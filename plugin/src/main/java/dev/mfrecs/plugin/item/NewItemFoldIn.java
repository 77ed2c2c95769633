package dev.mfrecs.plugin.item;

import dev.mfrecs.contract.EventTime;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.contract.UserHistory;
import dev.mfrecs.factorization.ExplicitFoldIn;
import dev.mfrecs.factorization.ImplicitFoldIn;
import dev.mfrecs.factorization.NotPositiveDefiniteException;
import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.model.SourceValues;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRunnable;
import org.elasticsearch.action.get.MultiGetItemResponse;
import org.elasticsearch.action.get.MultiGetRequest;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.index.query.RangeQueryBuilder;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.subphase.FetchSourceContext;
import org.elasticsearch.search.sort.SortOrder;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The vector an item the model was not trained on would get from what happened since: the users who interacted with it, read
 * from the interactions index with the model's recipe, and their stored vectors, solved with the item half-sweep's exact solve
 * (implicit: against the stored users' Gram matrix recorded at training; explicit: the ratings' residuals on the users' factors
 * and biases). Item vectors of trained items are not changed; this is how items added between trainings become recommendable.
 * Every read runs as the caller.
 */
public final class NewItemFoldIn {

    /** One item's result: its vector (null when no stored user interacted with it), the users used, and the users ignored. */
    public record Solved(String item, float[] vector, int users, int ignoredUsers) {}

    private final MfServices services;

    public NewItemFoldIn(MfServices services) {
        this.services = services;
    }

    /** Folds each of {@code items} in against {@code model}'s stored users. */
    public void foldIn(Client client, ModelMetadata model, List<String> items, ActionListener<List<Solved>> listener) {
        InteractionRecipe recipe = model.interactions();
        InteractionFields f = recipe.fields();
        client.search(eventsRequest(recipe, items, services.settings().maxEvents()), listener.delegateFailureAndWrap((l, response) -> {
            Map<String, UserHistory> byItem = new LinkedHashMap<>();
            items.forEach(item -> byItem.put(item, recipe.newHistory()));
            SearchHit[] hits = response.getHits().getHits();
            for (SearchHit hit : hits) {
                Map<String, Object> doc = hit.getSourceAsMap();
                Object item = doc.get(f.itemField());
                Object user = doc.get(f.userField());
                UserHistory history = item == null ? null : byItem.get(item.toString());
                if (history == null || user == null) {
                    continue;
                }
                Object event = doc.get(f.eventField());
                Object value = f.valueField() == null ? null : doc.get(f.valueField());
                Long time = null;
                if (f.timestampField() != null) {
                    DocumentField ts = hit.field(f.timestampField());
                    time = ts == null ? null : EventTime.millis(ts.getValue());
                }
                // Keyed by user: the pairs of this item, aggregated per user as training aggregates per (user, item).
                history.addEvent(user.toString(), event == null ? null : event.toString(), value instanceof Number n ? n : null, time);
            }
            Map<String, Map<String, Float>> pairs = new LinkedHashMap<>();
            Set<String> users = new LinkedHashSet<>();
            for (Map.Entry<String, UserHistory> e : byItem.entrySet()) {
                Map<String, Float> p = capped(e.getValue().pairs());
                pairs.put(e.getKey(), p);
                users.addAll(p.keySet());
            }
            readUsers(client, model, users, l.delegateFailureAndWrap((l2, vectors) -> services.executor().execute(ActionRunnable.supply(l2,
                () -> solveAll(model, pairs, vectors)))));
        }));
    }

    static SearchRequest eventsRequest(InteractionRecipe recipe, List<String> items, int maxEvents) {
        InteractionFields f = recipe.fields();
        BoolQueryBuilder query = QueryBuilders.boolQuery().filter(QueryBuilders.termsQuery(f.itemField(), items));
        if (recipe.query() != null) {
            query.filter(QueryBuilders.wrapperQuery(recipe.query()));
        }
        if (f.timestampField() != null && recipe.fromMillis() != null) {
            query.filter(new RangeQueryBuilder(f.timestampField()).gte(recipe.fromMillis()).format(EventTime.DOCVALUE_FORMAT));
        }
        List<String> fields = new ArrayList<>(List.of(f.userField(), f.itemField(), f.eventField()));
        if (f.valueField() != null) {
            fields.add(f.valueField());
        }
        SearchSourceBuilder search = new SearchSourceBuilder().query(query).size(maxEvents).trackTotalHits(false)
            .fetchSource(FetchSourceContext.of(true, fields.toArray(String[]::new), null));
        if (f.timestampField() != null) {
            search.sort(f.timestampField(), SortOrder.ASC).docValueField(f.timestampField(), EventTime.DOCVALUE_FORMAT);
        }
        return new SearchRequest(f.index()).source(search).allowPartialSearchResults(false);
    }

    private Map<String, Float> capped(Map<String, Float> users) {
        int max = services.settings().maxHistory();
        if (users.size() <= max) {
            return users;
        }
        Map<String, Float> out = new LinkedHashMap<>();
        int skip = users.size() - max;
        for (Map.Entry<String, Float> e : users.entrySet()) {
            if (skip-- <= 0) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** The stored vectors (and biases, for explicit models) of {@code users} in the model's users index. */
    private static void readUsers(Client client, ModelMetadata model, Set<String> users, ActionListener<Map<String, float[]>> listener) {
        if (users.isEmpty()) {
            listener.onResponse(Map.of());
            return;
        }
        MultiGetRequest mget = new MultiGetRequest().realtime(false);
        FetchSourceContext fields = FetchSourceContext.of(true, new String[] { ModelIndices.VECTOR, ModelIndices.BIAS }, null);
        for (String user : users) {
            mget.add(new MultiGetRequest.Item(model.usersIndex(), user).fetchSourceContext(fields));
        }
        client.multiGet(mget, listener.delegateFailureAndWrap((l, response) -> {
            Map<String, float[]> out = new HashMap<>();
            int d = model.vectorDims();
            for (MultiGetItemResponse item : response.getResponses()) {
                if (item.isFailed()) {
                    throw new ElasticsearchStatusException("[mf] reading user [{}] failed", RestStatus.INTERNAL_SERVER_ERROR,
                        item.getFailure().getFailure(), item.getId());
                }
                if (item.getResponse().isExists()) {
                    Map<String, Object> src = item.getResponse().getSourceAsMap();
                    float[] v = SourceValues.floats(src.get(ModelIndices.VECTOR));
                    if (v != null && v.length == d) {
                        if (model.isExplicit()) {
                            // (p_u, 1) as stored: the last slot carries the user's bias for the item solve.
                            v = v.clone();
                            v[d - 1] = src.get(ModelIndices.BIAS) instanceof Number b ? b.floatValue() : 0f;
                        }
                        out.put(item.getId(), v);
                    }
                }
            }
            l.onResponse(out);
        }));
    }

    private List<Solved> solveAll(ModelMetadata model, Map<String, Map<String, Float>> pairs, Map<String, float[]> users) {
        List<Solved> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Float>> e : pairs.entrySet()) {
            out.add(solve(model, e.getKey(), e.getValue(), users));
        }
        return out;
    }

    /** The item half-sweep's exact solve for one item from the stored users who interacted with it. */
    static Solved solve(ModelMetadata model, String item, Map<String, Float> byUser, Map<String, float[]> users) {
        int dims = model.vectorDims();
        int d = model.factors();
        List<float[]> vectors = new ArrayList<>();
        List<Float> values = new ArrayList<>();
        for (Map.Entry<String, Float> e : byUser.entrySet()) {
            float[] v = users.get(e.getKey());
            if (v != null) {
                vectors.add(v);
                values.add(e.getValue());
            }
        }
        int k = vectors.size();
        int ignored = byUser.size() - k;
        if (k == 0) {
            return new Solved(item, null, 0, ignored);
        }
        float[] hval = new float[k];
        for (int j = 0; j < k; j++) {
            hval[j] = values.get(j);
        }
        float[] out = new float[dims];
        try {
            if (model.isExplicit()) {
                float[] p = new float[k * d];
                float[] b = new float[k];
                for (int j = 0; j < k; j++) {
                    System.arraycopy(vectors.get(j), 0, p, j * d, d);
                    b[j] = vectors.get(j)[d];
                }
                float[] q = new float[d];
                float bias = new ExplicitFoldIn(d).foldIn(model.explicit().globalMean(), model.regularization(), p, b, hval, k, q);
                System.arraycopy(q, 0, out, 0, d);
                out[d] = bias;
            } else {
                float[] x = new float[k * d];
                for (int j = 0; j < k; j++) {
                    System.arraycopy(vectors.get(j), 0, x, j * d, d);
                }
                boolean any = false;
                for (float v : hval) {
                    any |= v > 0;
                }
                if (any == false) {
                    return new Solved(item, null, 0, byUser.size());
                }
                new ImplicitFoldIn(d).foldIn(model.implicitUserSide(), x, hval, k, out);
            }
        } catch (NotPositiveDefiniteException e) {
            throw new ElasticsearchStatusException("[mf] item fold-in failed for item [{}] of model [{}]: {}", RestStatus.BAD_REQUEST, e,
                item, model.model(), e.getMessage());
        }
        return new Solved(item, out, k, ignored);
    }
}
