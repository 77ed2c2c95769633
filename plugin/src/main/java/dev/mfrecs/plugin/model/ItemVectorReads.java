package dev.mfrecs.plugin.model;

import dev.mfrecs.contract.ModelIndices;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.get.MultiGetItemResponse;
import org.elasticsearch.action.get.MultiGetRequest;
import org.elasticsearch.action.get.MultiGetResponse;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.StoredFieldsContext;
import org.elasticsearch.search.fetch.subphase.FetchSourceContext;
import org.elasticsearch.search.sort.SortBuilders;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the vectors of named items from an items index (or its alias) with the caller's privileges.
 * <p>
 * Up to {@link #MAX_SEARCHED} items are read with one search, not a multi-get: an {@code ids} filter, the vector read
 * through {@code docvalue_fields} from the {@code dense_vector} field's own Lucene vector storage (raw floats; supported
 * since Elasticsearch 9.1), the item id from {@value ModelIndices#ITEM_ID}'s doc values, and stored fields disabled, so
 * neither {@code _source} nor {@code _id} is loaded: a multi-get decompresses every document's stored fields, parses its
 * JSON source (both vectors), filters and re-serializes it, which made a 100-item fold-in several times slower. The
 * publisher writes {@value ModelIndices#ITEM_ID} equal to the document id, in every version it ever published; a hit
 * without it (an index written by something else) makes the read fall back to the multi-get. Partial results are not
 * allowed: a failed shard fails the read instead of silently dropping items. Larger reads, beyond the default
 * {@code index.max_result_window}, use the multi-get.
 */
public final class ItemVectorReads {

    /** The default {@code index.max_result_window}: the most hits one search may return. */
    static final int MAX_SEARCHED = 10_000;

    /**
     * What a read found: item id to vector for every item that exists ({@code null} when the document has no usable
     * vector), and the concrete indices the documents came from (one, unless an alias moved during the read).
     */
    public record Found(Map<String, float[]> vectors, Set<String> indices) {
        /** True when every document came from {@code index}: what a read through an alias must check. */
        public boolean allFrom(String index) {
            return indices.isEmpty() || (indices.size() == 1 && indices.contains(index));
        }

        /** What this read and {@code other} found together. */
        public Found with(Found other) {
            Map<String, float[]> all = new HashMap<>(vectors);
            all.putAll(other.vectors);
            Set<String> from = new HashSet<>(indices);
            from.addAll(other.indices);
            return new Found(all, from);
        }
    }

    private ItemVectorReads() {}

    public static void read(Client client, String index, Collection<String> items, ActionListener<Found> listener) {
        if (items.size() > MAX_SEARCHED) {
            client.multiGet(multiGetRequest(index, items), listener.delegateFailureAndWrap((l, r) -> l.onResponse(fromMultiGet(r))));
            return;
        }
        client.search(searchRequest(index, items), listener.delegateFailureAndWrap((l, response) -> {
            Found found = fromSearch(response);
            if (found == null) {
                client.multiGet(multiGetRequest(index, items), l.delegateFailureAndWrap((l2, r) -> l2.onResponse(fromMultiGet(r))));
            } else {
                l.onResponse(found);
            }
        }));
    }

    static SearchRequest searchRequest(String index, Collection<String> items) {
        SearchSourceBuilder source = new SearchSourceBuilder().query(QueryBuilders.constantScoreQuery(QueryBuilders.idsQuery()
            .addIds(items.toArray(String[]::new))))
            .size(items.size())
            .trackTotalHits(false)
            .sort(SortBuilders.fieldSort("_doc"))
            .fetchSource(false)
            .storedFields(StoredFieldsContext.fromList(List.of(StoredFieldsContext._NONE_)))
            .docValueField(ModelIndices.ITEM_ID)
            .docValueField(ModelIndices.VECTOR);
        return new SearchRequest(index).source(source).allowPartialSearchResults(false);
    }

    /** The hits as {@link Found}, or null when a hit carries no item id to map it back with. */
    static Found fromSearch(SearchResponse response) {
        if (response.getFailedShards() > 0) {
            throw new ElasticsearchStatusException("[mf] reading item vectors failed on [{}] shards", RestStatus.INTERNAL_SERVER_ERROR,
                response.getShardFailures().length == 0 ? null : response.getShardFailures()[0].getCause(), response.getFailedShards());
        }
        Map<String, float[]> vectors = new HashMap<>();
        Set<String> indices = new HashSet<>(2);
        for (SearchHit hit : response.getHits().getHits()) {
            DocumentField id = hit.field(ModelIndices.ITEM_ID);
            if (id == null || id.getValue() == null) {
                return null;
            }
            DocumentField vector = hit.field(ModelIndices.VECTOR);
            vectors.put(id.getValue().toString(), vector == null ? null : vectorOf(vector.getValues()));
            indices.add(hit.getIndex());
        }
        return new Found(vectors, indices);
    }

    /** A dense_vector doc value: one float[] in-process, or after transport; a list of numbers if rendered. */
    public static float[] vectorOf(List<Object> values) {
        if (values.size() == 1 && values.get(0) instanceof float[] f) {
            return f;
        }
        if (values.size() == 1 && values.get(0) instanceof List<?> list) {
            return SourceValues.floats(list);
        }
        return SourceValues.floats(values);
    }

    static MultiGetRequest multiGetRequest(String index, Iterable<String> items) {
        MultiGetRequest mget = new MultiGetRequest();
        mget.realtime(false);
        FetchSourceContext vectorOnly = FetchSourceContext.of(true, new String[] { ModelIndices.VECTOR }, null);
        for (String item : items) {
            mget.add(new MultiGetRequest.Item(index, item).fetchSourceContext(vectorOnly));
        }
        return mget;
    }

    static Found fromMultiGet(MultiGetResponse response) {
        Map<String, float[]> vectors = new HashMap<>();
        Set<String> indices = new HashSet<>(2);
        for (MultiGetItemResponse item : response.getResponses()) {
            if (item.isFailed()) {
                throw item.getFailure().getFailure() instanceof RuntimeException re ? re
                    : new ElasticsearchStatusException("[mf] reading item [{}] failed", RestStatus.INTERNAL_SERVER_ERROR,
                        item.getFailure().getFailure(), item.getId());
            }
            if (item.getResponse().isExists()) {
                vectors.put(item.getId(), SourceValues.floats(item.getResponse().getSourceAsMap().get(ModelIndices.VECTOR)));
                indices.add(item.getResponse().getIndex());
            }
        }
        return new Found(vectors, indices);
    }
}
