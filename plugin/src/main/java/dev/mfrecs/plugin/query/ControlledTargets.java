package dev.mfrecs.plugin.query;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.factorization.ExplicitFoldIn;
import dev.mfrecs.factorization.ImplicitFoldIn;
import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.model.ItemVectorReads;
import dev.mfrecs.plugin.model.ModelResolver;
import dev.mfrecs.plugin.user.ResolvedUser;
import dev.mfrecs.plugin.user.UserFoldIn;
import dev.mfrecs.plugin.user.UserResolver;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRunnable;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.StoredFieldsContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the target of an {@code mf_recommend} or {@code mf_similar} query that carries business controls, once its query vector
 * is known: without re-ranking, the usual kNN ({@link KnnExcludingQueryBuilder#knn}); with {@code boost}, {@code diversity} or
 * {@code dither}, a candidates search first (one search on the model's live items index, asynchronous, as the caller: the kNN's top
 * {@code num_candidates} with the caller's filters and the exclusions, boosted by {@link BoostedCandidatesQueryBuilder}, their ids
 * and, for diversity, their vectors from doc values), re-ranked by {@link CandidateRerank} into the global top {@code k}
 * ({@link RankedIdsQueryBuilder}). With {@code because}, the target is wrapped with the {@link Because} decomposition.
 */
final class ControlledTargets {

    /** The kNN an mf query stands for, and its controls. */
    record Knn(String api, ModelMetadata model, String index, String field, float[] vector, int k, int numCandidates,
               List<QueryBuilder> filters, Collection<String> excluded, BusinessControls controls, float boost, String queryName) {}

    private ControlledTargets() {}

    /** The items index a candidates search reads: the live one the search resolved, else the version the model resolved to. */
    static String itemsIndex(@Nullable ResolvedIndices searched, ModelMetadata model) {
        String live = ModelResolver.liveItemsIndex(searched, model.model());
        return live != null ? live : model.itemsIndex();
    }

    /** {@code mf_recommend}: the user's contributions (a stored user's training history is folded in first), then the target. */
    static void forUser(MfServices services, Client client, Knn knn, ResolvedUser user, ActionListener<QueryBuilder> listener) {
        if (knn.controls().because() == 0) {
            build(services, client, knn, null, listener);
            return;
        }
        ActionListener<ResolvedUser> withHistory = listener.delegateFailureAndWrap((l, folded) -> services.executor().execute(
            ActionRunnable.wrap(l, l2 -> build(services, client, knn, userBecause(knn, folded), l2))));
        if (user.historyVectors() != null) {
            withHistory.onResponse(user);
            return;
        }
        // A trained user: the decomposition of the fold-in of the training history stored with the vector (as _explain does).
        Map<String, Float> seen = new LinkedHashMap<>();
        float[] values = user.historyValues();
        for (int i = 0; i < user.seenItems().size(); i++) {
            seen.put(user.seenItems().get(i), values != null && i < values.length ? values[i] : 1f);
        }
        new UserResolver(services).foldIn(client, knn.model(), seen, "stored", withHistory);
    }

    /** {@code mf_similar}: the query items' vectors ({@code items x dims}) are the decomposition, scaled to sum to the score. */
    static void forItems(MfServices services, Client client, Knn knn, List<String> items, float[] vectors, float[] mean,
                         ActionListener<QueryBuilder> listener) {
        Because because = null;
        if (knn.controls().because() > 0) {
            int d = knn.model().vectorDims();
            boolean cosine = ModelIndices.VECTOR_COSINE.equals(knn.field());
            float[] u = new float[items.size() * d];
            double meanNorm = 0;
            for (float f : mean) {
                meanNorm += (double) f * f;
            }
            meanNorm = Math.sqrt(meanNorm);
            for (int j = 0; j < items.size(); j++) {
                double norm = 0;
                for (int i = 0; i < d; i++) {
                    norm += (double) vectors[j * d + i] * vectors[j * d + i];
                }
                double scale = cosine ? (norm > 0 && meanNorm > 0 ? 1 / (Math.sqrt(norm) * items.size() * meanNorm) : 0) : 1.0 / items
                    .size();
                for (int i = 0; i < d; i++) {
                    u[j * d + i] = (float) (vectors[j * d + i] * scale);
                }
            }
            because = new Because(items, u, d, knn.controls().because(), cosine, false);
        }
        build(services, client, knn, because, listener);
    }

    /** The per-history-item vectors of a folded-in user; null when the history carries no weight. */
    static Because userBecause(Knn knn, ResolvedUser user) {
        if (user.empty() || user.historyVectors() == null) {
            return null;
        }
        ModelMetadata model = knn.model();
        int k = user.historyItems().size();
        int dims = model.vectorDims();
        float[] u = new float[k * dims];
        if (model.isExplicit()) {
            int d = model.factors();
            float[] q = new float[k * d];
            float[] b = new float[k];
            UserFoldIn.split(model, user.historyVectors(), k, q, b);
            new ExplicitFoldIn(d).contributionVectors(model.explicit().globalMean(), model.regularization(), q, b, user.historyValues(), k,
                u, dims);
        } else if (new ImplicitFoldIn(model.factors()).contributionVectors(model.implicitItemSide(), user.historyVectors(), user
            .historyValues(), k, u) == false) {
            return null;
        }
        return new Because(user.historyItems(), u, dims, knn.controls().because(), ModelIndices.VECTOR_COSINE.equals(knn.field()),
            model.isExplicit());
    }

    /** The target, re-ranked when asked, with {@code because} attached. */
    static void build(MfServices services, Client client, Knn knn, @Nullable Because because, ActionListener<QueryBuilder> listener) {
        if (knn.controls().reranks() == false) {
            listener.onResponse(finish(KnnExcludingQueryBuilder.knn(knn.field(), knn.vector(), knn.k(), knn.numCandidates(), knn.filters(),
                knn.excluded()), because, knn));
            return;
        }
        // The candidates are copied out of the response while the listener holds it; the ranking runs on the plugin's executor.
        client.search(candidatesRequest(knn), listener.delegateFailureAndWrap((l, response) -> {
            Candidates candidates = Candidates.of(knn, response);
            services.executor().execute(ActionRunnable.supply(l, () -> finish(rank(knn, candidates), because, knn)));
        }));
    }

    private static QueryBuilder finish(QueryBuilder target, @Nullable Because because, Knn knn) {
        QueryBuilder q = because == null ? target : new BecauseQueryBuilder(target, because);
        return q.boost(knn.boost()).queryName(knn.queryName());
    }

    /** The kNN's top {@code num_candidates}, boosted, with their ids (and vectors for diversity) from doc values. */
    static SearchRequest candidatesRequest(Knn knn) {
        int n = knn.numCandidates();
        int wide = (int) Math.min(KnnLimits.MAX_NUM_CANDIDATES, (long) n + knn.excluded().size());
        QueryBuilder candidates = KnnExcludingQueryBuilder.knn(knn.field(), knn.vector(), n, Math.max(n, wide), knn.filters(),
            knn.excluded());
        if (knn.controls().boosts().isEmpty() == false) {
            candidates = new BoostedCandidatesQueryBuilder(knn.api(), candidates, knn.controls().boosts());
        }
        SearchSourceBuilder source = new SearchSourceBuilder().query(candidates)
            .size(n)
            .trackTotalHits(false)
            .fetchSource(false)
            .storedFields(StoredFieldsContext.fromList(List.of(StoredFieldsContext._NONE_)))
            .docValueField(ModelIndices.ITEM_ID);
        if (knn.controls().lambda() != null) {
            source.docValueField(ModelIndices.VECTOR);
        }
        return new SearchRequest(knn.index()).source(source).allowPartialSearchResults(false);
    }

    /** The candidates a search returned, best first: ids, scores, and (for diversity) vectors, {@code n x dims}. */
    record Candidates(List<String> ids, float[] scores, float[] vectors) {
        static Candidates of(Knn knn, SearchResponse response) {
            if (response.getFailedShards() > 0) {
                throw new ElasticsearchStatusException("[{}] the candidates search failed on [{}] shards", RestStatus.INTERNAL_SERVER_ERROR,
                    knn.api(), response.getFailedShards());
            }
            SearchHit[] hits = response.getHits().getHits();
            int d = knn.model().vectorDims();
            boolean diversity = knn.controls().lambda() != null;
            List<String> ids = new ArrayList<>(hits.length);
            float[] scores = new float[hits.length];
            float[] vectors = diversity ? new float[hits.length * d] : null;
            for (int i = 0; i < hits.length; i++) {
                DocumentField id = hits[i].field(ModelIndices.ITEM_ID);
                ids.add(id == null || id.getValue() == null ? hits[i].getId() : id.getValue().toString());
                scores[i] = hits[i].getScore();
                if (diversity) {
                    DocumentField v = hits[i].field(ModelIndices.VECTOR);
                    float[] vector = v == null ? null : ItemVectorReads.vectorOf(v.getValues());
                    if (vector != null && vector.length == d) {
                        System.arraycopy(vector, 0, vectors, i * d, d);
                    }
                }
            }
            return new Candidates(ids, scores, vectors);
        }
    }

    /** Re-ranks the candidates into the target. */
    static RankedIdsQueryBuilder rank(Knn knn, Candidates candidates) {
        CandidateRerank.Ranked ranked = CandidateRerank.rerank(candidates.scores(), candidates.vectors(), knn.model().vectorDims(), knn.k(),
            knn.controls().lambda(), knn.controls().dither());
        List<String> top = new ArrayList<>(ranked.positions().length);
        for (int p : ranked.positions()) {
            top.add(candidates.ids().get(p));
        }
        return new RankedIdsQueryBuilder(knn.index(), top, ranked.scores(), describe(knn.controls()));
    }

    private static String describe(BusinessControls c) {
        List<String> parts = new ArrayList<>();
        if (c.boosts().isEmpty() == false) {
            parts.add("boost " + c.boosts().size() + " factor(s)");
        }
        if (c.lambda() != null) {
            parts.add("diversity (MMR) lambda " + c.lambda() + ": 1 + the MMR value at its pick");
        }
        if (c.dither() != null) {
            parts.add("dither epsilon " + c.dither().epsilon() + " seed " + c.dither().seed() + ": exp(-(log(rank) + noise))");
        }
        return "score of the kNN candidate after " + String.join(", then ", parts) + (Arrays.asList(c.lambda(), c.dither()).stream()
            .allMatch(x -> x == null) ? " (the boosted kNN score)" : "");
    }
}
