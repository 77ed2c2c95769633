package dev.mfrecs.plugin.query;

import org.apache.lucene.search.Query;
import org.elasticsearch.TransportVersion;
import dev.mfrecs.plugin.compat.EsVersionCompat;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.IdsQueryBuilder;
import org.elasticsearch.index.query.MatchNoneQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.search.vectors.KnnVectorQueryBuilder;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What {@code mf_recommend} and {@code mf_similar} rewrite to when they exclude documents (seen items, the query items):
 * a kNN query asking for {@code k} plus the number of excluded ids, from which each shard keeps the top {@code k} that are
 * not excluded ({@link TopKExcludingQuery}). The caller's own filters stay inside the kNN filter.
 * <p>
 * Excluding inside the kNN filter instead makes every shard evaluate a "not these ids" filter over all its documents
 * before the graph search; this touches only the candidates. It applies when {@code k + excluded <= num_candidates},
 * so the graph search explores exactly as wide as asked; with more exclusions {@link #knn} falls back to the filter.
 * Both routes return the same documents when the kNN is exact, and k per shard when the shard has that many.
 * <p>
 * Internal: registered for the wire only (the coordinating node sends it to the shards), with no query DSL name.
 */
public final class KnnExcludingQueryBuilder extends AbstractQueryBuilder<KnnExcludingQueryBuilder> {

    public static final String NAME = "mf_knn_excluding";

    private final KnnVectorQueryBuilder candidates;
    private final List<String> excludedIds;
    private final int k;

    KnnExcludingQueryBuilder(KnnVectorQueryBuilder candidates, Collection<String> excludedIds, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("[" + NAME + "] [k] must be positive, got [" + k + "]");
        }
        if (excludedIds.isEmpty()) {
            throw new IllegalArgumentException("[" + NAME + "] needs at least one excluded id");
        }
        this.candidates = Objects.requireNonNull(candidates);
        this.excludedIds = List.copyOf(excludedIds);
        this.k = k;
    }

    public KnnExcludingQueryBuilder(StreamInput in) throws IOException {
        super(in);
        this.candidates = new KnnVectorQueryBuilder(in);
        this.excludedIds = in.readStringCollectionAsImmutableList();
        this.k = in.readVInt();
    }

    /**
     * The kNN for {@code vector} with the caller's {@code filters} and without the {@code excluded} ids: post-filtered
     * when the excluded ids fit within {@code num_candidates} next to {@code k}, otherwise excluded inside the kNN filter.
     */
    static QueryBuilder knn(String field, float[] vector, int k, int numCandidates, List<QueryBuilder> filters,
                            Collection<String> excluded) {
        boolean postFilter = excluded.isEmpty() == false && (long) k + excluded.size() <= numCandidates;
        KnnVectorQueryBuilder knn = EsVersionCompat.knnQuery(field, vector, postFilter ? k + excluded.size() : k, numCandidates, null,
            null);
        filters.forEach(knn::addFilterQuery);
        if (postFilter) {
            return new KnnExcludingQueryBuilder(knn, excluded, k);
        }
        if (excluded.isEmpty() == false) {
            knn.addFilterQuery(QueryBuilders.boolQuery().mustNot(QueryBuilders.idsQuery().addIds(excluded.toArray(String[]::new))));
        }
        return knn;
    }

    KnnVectorQueryBuilder candidates() {
        return candidates;
    }

    List<String> excludedIds() {
        return excludedIds;
    }

    int k() {
        return k;
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        candidates.writeTo(out);
        out.writeStringCollection(excludedIds);
        out.writeVInt(k);
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.field("k", k);
        builder.field("candidates", candidates);
        builder.stringListField("excluded_ids", excludedIds);
        boostAndQueryNameToXContent(builder);
        builder.endObject();
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
        QueryBuilder rewritten = candidates.rewrite(context);
        if (rewritten instanceof MatchNoneQueryBuilder) {
            return rewritten;
        }
        if (rewritten == candidates) {
            return this;
        }
        if (rewritten instanceof KnnVectorQueryBuilder knn) {
            return new KnnExcludingQueryBuilder(knn, excludedIds, k).boost(boost).queryName(queryName);
        }
        // Not a kNN any more: no "k per shard" to keep, so a plain exclusion is exact.
        return QueryBuilders.boolQuery().must(rewritten).mustNot(excludedIdsQuery()).boost(boost).queryName(queryName);
    }

    @Override
    protected Query doToQuery(SearchExecutionContext context) throws IOException {
        return new TopKExcludingQuery(candidates.toQuery(context), excludedIdsQuery().toQuery(context), k);
    }

    private IdsQueryBuilder excludedIdsQuery() {
        return new IdsQueryBuilder().addIds(excludedIds.toArray(String[]::new));
    }

    @Override
    protected boolean doEquals(KnnExcludingQueryBuilder other) {
        return k == other.k && candidates.equals(other.candidates) && excludedIds.equals(other.excludedIds);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(candidates, excludedIds, k);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public TransportVersion getMinimalSupportedVersion() {
        return EsVersionCompat.V_9_0_0;
    }
}
