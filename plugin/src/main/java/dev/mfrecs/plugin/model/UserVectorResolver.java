package dev.mfrecs.plugin.model;

import dev.mfrecs.factorization.EventWeights;
import dev.mfrecs.factorization.ExplicitFoldIn;
import dev.mfrecs.factorization.ImplicitFoldIn;
import dev.mfrecs.factorization.InteractionFields;
import dev.mfrecs.factorization.NotPositiveDefiniteException;
import dev.mfrecs.mappings.ModelIndices;
import dev.mfrecs.plugin.MfSettings;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.subphase.FetchSourceContext;
import org.elasticsearch.search.sort.SortOrder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a {@link UserSpec} into a query vector with asynchronous reads only, so it can run inside a coordinating
 * rewrite or a query-vector builder: a trained user's stored vector, or a fold-in of a history (inline, or read from
 * the interactions index with the weights the model was trained with) through the same kernel the trainer uses for
 * one row.
 * <p>
 * Stored users are read with {@code realtime=false}: a published users index is refreshed before the alias moves to it
 * and never written again, so the last refreshed reader has every document, and the read skips the realtime get's
 * version-map lookup (0.3 ms less per read measured over HTTP on the serving benchmark's node). History items' vectors
 * are read by {@link ItemVectorReads} with one search from the vectors' doc values.
 */
public final class UserVectorResolver {

    private UserVectorResolver() {}

    /** A model's live version together with a user resolved against it. */
    public record ModelAndUser(ModelMetadata model, ResolvedUser user) {}

    /**
     * Resolves the model and the user with as few sequential round trips as possible: for a user id, the user's stored
     * vector is read through the users alias while the model's live version and metadata are resolved, so a personalized
     * query waits for one lookup chain, not two. The aliases move together, but a swap can land between the two reads:
     * the stored document's {@code model_version} must match the resolved version, otherwise the user is read again from
     * the resolved version's index.
     */
    public static void resolveModelAndUser(Client client, String modelName, UserSpec spec, ActionListener<ModelAndUser> listener) {
        resolveModelAndUser(client, modelName, spec, null, listener);
    }

    /**
     * The same inside a search over {@code searched} indices, which can spare the alias resolution: see
     * {@link ModelResolver#resolve(Client, String, ResolvedIndices, ActionListener)}.
     */
    public static void resolveModelAndUser(Client client, String modelName, UserSpec spec, @Nullable ResolvedIndices searched,
                                           ActionListener<ModelAndUser> listener) {
        if (spec.user() == null) {
            resolveModelAndHistory(client, modelName, spec, searched, listener);
            return;
        }
        BothAnswered.<ModelMetadata, GetResponse>run(
            l -> ModelResolver.INSTANCE.resolve(client, modelName, searched, l),
            l -> client.get(new GetRequest(ModelIndices.usersAlias(modelName), spec.user()).realtime(false), l),
            (model, user) -> {
                if (model.failed()) {
                    listener.onFailure(model.failure());
                    return;
                }
                ModelMetadata m = model.value();
                ActionListener<ResolvedUser> done = listener.map(u -> new ModelAndUser(m, u));
                GetResponse get = user.value();
                if (user.failed()) {
                    resolve(client, m, spec, done);
                } else if (get.isExists() == false) {
                    ActionListener.run(done, l -> fromInteractions(client, m, spec.user(), l));
                } else if (get.getSourceAsMap().get(ModelIndices.MODEL_VERSION) instanceof Number v && v.intValue() == m.version()) {
                    ActionListener.completeWith(done, () -> stored(m, spec.user(), get.getSourceAsMap()));
                } else {
                    resolve(client, m, spec, done);
                }
            }
        );
    }

    /** The inline-history case of {@link #resolveModelAndUser}: the items' vectors are read while the model resolves. */
    private static void resolveModelAndHistory(Client client, String modelName, UserSpec spec, @Nullable ResolvedIndices searched,
                                               ActionListener<ModelAndUser> listener) {
        Map<String, Float> history = aggregate(spec.history());
        BothAnswered.<ModelMetadata, ItemVectorReads.Found>run(
            l -> ModelResolver.INSTANCE.resolve(client, modelName, searched, l),
            l -> ItemVectorReads.read(client, ModelIndices.itemsAlias(modelName), history.keySet(), l),
            (model, items) -> {
                if (model.failed()) {
                    listener.onFailure(model.failure());
                    return;
                }
                ModelMetadata m = model.value();
                ActionListener.run(listener.<ResolvedUser>map(u -> new ModelAndUser(m, u)), l -> {
                    // Read through the alias: usable only if every vector came from the version the model resolved to.
                    if (items.failed() == false && items.value().allFrom(m.itemsIndex())) {
                        l.onResponse(foldInFrom(m, history, "history", items.value()));
                    } else {
                        foldIn(client, m, history, "history", l);
                    }
                });
            }
        );
    }

    private static Map<String, Float> aggregate(List<HistoryEntry> entries) {
        Map<String, Float> history = new LinkedHashMap<>();
        for (HistoryEntry e : entries) {
            history.merge(e.item(), e.value(), Float::sum);
        }
        return history;
    }

    public static void resolve(Client client, ModelMetadata model, UserSpec spec, ActionListener<ResolvedUser> listener) {
        if (spec.history() != null) {
            foldIn(client, model, aggregate(spec.history()), "history", listener);
            return;
        }
        GetRequest get = new GetRequest(model.usersIndex(), spec.user()).realtime(false);
        client.get(get, listener.delegateFailureAndWrap((l, response) -> {
            if (response.isExists()) {
                l.onResponse(stored(model, spec.user(), response.getSourceAsMap()));
            } else {
                fromInteractions(client, model, spec.user(), l);
            }
        }));
    }

    private static ResolvedUser stored(ModelMetadata model, String user, Map<String, Object> src) {
        float[] vector = floats(src.get(ModelIndices.VECTOR));
        if (vector == null || vector.length != model.vectorDims()) {
            throw new ElasticsearchStatusException(
                "user [{}] of model [{}] has a vector of [{}] dims, expected [{}]",
                RestStatus.INTERNAL_SERVER_ERROR,
                user,
                model.model(),
                vector == null ? 0 : vector.length,
                model.vectorDims()
            );
        }
        List<String> seen = strings(src.get(ModelIndices.SEEN_ITEMS));
        return new ResolvedUser(vector, "stored", seen, List.of(), seen, null, floats(src.get("seen_values")));
    }

    private static void fromInteractions(Client client, ModelMetadata model, String user, ActionListener<ResolvedUser> listener) {
        InteractionFields src = model.interactions();
        if (src == null) {
            listener.onFailure(unknownUser(model, user));
            return;
        }
        SearchSourceBuilder search = new SearchSourceBuilder().query(QueryBuilders.termQuery(src.userField(), user))
            .size(MfSettings.maxHistory())
            .trackTotalHits(false)
            .fetchSource(FetchSourceContext.of(true, fieldsOf(src), null));
        if (src.timestampField() != null) {
            search.sort(src.timestampField(), SortOrder.DESC);
        }
        SearchRequest request = new SearchRequest(src.index()).source(search);
        client.search(request, listener.delegateFailureAndWrap((l, response) -> {
            long now = System.currentTimeMillis();
            EventWeights weights = src.eventWeights();
            Map<String, Float> history = new LinkedHashMap<>();
            for (SearchHit hit : response.getHits().getHits()) {
                Map<String, Object> doc = hit.getSourceAsMap();
                Object item = doc.get(src.itemField());
                if (item == null) {
                    continue;
                }
                long age = 0;
                if (src.timestampField() != null && hit.getSortValues().length > 0 && hit.getSortValues()[0] instanceof Number ts) {
                    age = now - ts.longValue();
                }
                Object event = doc.get(src.eventField());
                Object value = src.valueField() == null ? null : doc.get(src.valueField());
                float w = weights.weight(event == null ? null : event.toString(), value instanceof Number n ? n : null, age);
                history.merge(item.toString(), w, Float::sum);
            }
            history.values().removeIf(v -> v <= 0);
            if (history.isEmpty()) {
                l.onFailure(unknownUser(model, user));
                return;
            }
            foldIn(client, model, history, "interactions", l);
        }));
    }

    private static String[] fieldsOf(InteractionFields src) {
        List<String> fields = new ArrayList<>(List.of(src.itemField(), src.eventField()));
        if (src.valueField() != null) {
            fields.add(src.valueField());
        }
        return fields.toArray(String[]::new);
    }

    /** Reads the history items' vectors and folds the user in; items the model does not know are reported, not fatal. */
    static void foldIn(Client client, ModelMetadata model, Map<String, Float> history, String source,
                       ActionListener<ResolvedUser> listener) {
        if (history.isEmpty()) {
            listener.onResponse(new ResolvedUser(null, source, List.of(), List.of(), List.of(), null, null));
            return;
        }
        ItemVectorReads.read(client, model.itemsIndex(), history.keySet(), listener.delegateFailureAndWrap(
            (l, found) -> l.onResponse(foldInFrom(model, history, source, found))));
    }

    /** Folds the user in from the items' vectors; items the model does not know (or without a usable vector) are ignored. */
    static ResolvedUser foldInFrom(ModelMetadata model, Map<String, Float> history, String source, ItemVectorReads.Found found) {
        List<String> seen = List.copyOf(history.keySet());
        int d = model.vectorDims();
        List<String> known = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        float[] vectors = new float[history.size() * d];
        float[] values = new float[history.size()];
        for (Map.Entry<String, Float> e : history.entrySet()) {
            float[] v = found.vectors().get(e.getKey());
            if (v == null || v.length != d) {
                ignored.add(e.getKey());
                continue;
            }
            System.arraycopy(v, 0, vectors, known.size() * d, d);
            values[known.size()] = e.getValue();
            known.add(e.getKey());
        }
        int k = known.size();
        if (k == 0) {
            return new ResolvedUser(null, source, seen, List.copyOf(ignored), List.of(), null, null);
        }
        float[] hv = java.util.Arrays.copyOf(vectors, k * d);
        float[] hval = java.util.Arrays.copyOf(values, k);
        float[] x = new float[d];
        foldInKernel(model, hv, hval, k, x);
        return new ResolvedUser(x, source, seen, List.copyOf(ignored), List.copyOf(known), hv, hval);
    }

    /** The query-time solve for one user; the same kernel the trainer runs for a training row. */
    public static void foldInKernel(ModelMetadata model, float[] historyVectors, float[] values, int k, float[] out) {
        if (model.explicit()) {
            foldInExplicit(model, historyVectors, values, k, out);
            return;
        }
        if (model.gram() == null) {
            throw new ElasticsearchStatusException("[mf] model [{}] has no gram matrix for fold-in", RestStatus.INTERNAL_SERVER_ERROR,
                model.model());
        }
        try {
            new ImplicitFoldIn(model.factors()).foldIn(model.gram(), model.regularization(), model.confidence(), model.rendle(),
                model.itemCount(), historyVectors, values, k, out);
        } catch (NotPositiveDefiniteException e) {
            throw new ElasticsearchStatusException("[mf] fold-in failed for model [{}]: {}", RestStatus.BAD_REQUEST, e, model.model(),
                e.getMessage());
        }
    }

    /**
     * Explicit models publish item vectors (q_i, b_i): split them, solve (p_u, b_u) from the ratings with the trainer's
     * row kernel, and return (p_u, 1) so the kNN inner product is b_i + p_u.q_i, the predicted rating up to the
     * user's constant mu + b_u.
     */
    private static void foldInExplicit(ModelMetadata model, float[] historyVectors, float[] ratings, int k, float[] out) {
        int d = model.factors();
        int dims = model.vectorDims();
        if (dims != d + 1) {
            throw new ElasticsearchStatusException("[mf] explicit model [{}] has vectors of [{}] dims, expected factors + 1 = [{}]",
                RestStatus.INTERNAL_SERVER_ERROR, model.model(), dims, d + 1);
        }
        float[] q = new float[k * d];
        float[] b = new float[k];
        for (int j = 0; j < k; j++) {
            System.arraycopy(historyVectors, j * dims, q, j * d, d);
            b[j] = historyVectors[j * dims + d];
        }
        float[] p = new float[d];
        try {
            new ExplicitFoldIn(d).foldIn(model.globalMean(), model.regularization(), q, b, ratings, k, p);
        } catch (NotPositiveDefiniteException e) {
            throw new ElasticsearchStatusException("[mf] fold-in failed for model [{}]: {}", RestStatus.BAD_REQUEST, e, model.model(),
                e.getMessage());
        }
        System.arraycopy(p, 0, out, 0, d);
        out[d] = 1f;
    }

    static ResourceNotFoundException unknownUser(ModelMetadata model, String user) {
        return new ResourceNotFoundException("user [{}] not found in model [{}] and has no interactions", user, model.model());
    }

    static float[] floats(Object o) {
        if (o instanceof List<?> list) {
            float[] out = new float[list.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = ((Number) list.get(i)).floatValue();
            }
            return out;
        }
        return null;
    }

    static List<String> strings(Object o) {
        return o instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
    }
}
