package dev.mfrecs.plugin;

import dev.mfrecs.contract.ModelIndices;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.action.ActionType;
import org.elasticsearch.action.OriginalIndices;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.action.admin.indices.resolve.ResolveIndexAction;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.cluster.metadata.AliasMetadata;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.common.bytes.BytesReference;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.Index;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.index.get.GetResult;
import org.elasticsearch.index.shard.ShardId;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.SearchHits;
import org.elasticsearch.search.SearchResponseUtils;
import org.elasticsearch.search.SearchShardTarget;
import org.elasticsearch.test.client.NoOpClient;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.xcontent.XContentFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What the plugin's unit tests answer its lookups with, built the way a cluster would build them: a client that answers
 * each request from a function, get and search responses, and the resolved indices a search hands to the coordinating
 * rewrite (several of these types have no public constructor).
 */
public final class FakeCluster {

    private FakeCluster() {}

    /**
     * A client that answers each request with what {@code answer} returns for it (released after the listener ran), and
     * fails it when that is null.
     */
    public static NoOpClient answering(ThreadPool threadPool, Function<ActionRequest, ActionResponse> answer) {
        return new NoOpClient(threadPool) {
            @Override
            @SuppressWarnings("unchecked")
            protected <Req extends ActionRequest, Resp extends ActionResponse> void doExecute(ActionType<Resp> action, Req request,
                                                                                               ActionListener<Resp> listener) {
                ActionResponse response = answer.apply(request);
                if (response == null) {
                    listener.onFailure(new UnsupportedOperationException(action.name()));
                } else {
                    // As the transport layer does: the response is released once the listener has seen it.
                    ActionListener.respondAndRelease(listener, (Resp) response);
                }
            }
        };
    }

    public static GetResponse getResponse(String index, String id, Map<String, Object> source) {
        try {
            BytesReference bytes = BytesReference.bytes(XContentFactory.jsonBuilder().map(source));
            return new GetResponse(new GetResult(index, id, 0, 1, 1, true, bytes, Map.of(), Map.of()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** A hit of the item-vector read: the item id and the vector as doc-value fields, no source. */
    public static SearchHit itemHit(int doc, String index, String item, float[] vector) {
        SearchHit hit = SearchHit.unpooled(doc);
        hit.shard(new SearchShardTarget("node", new ShardId(index, "_na_", 0), null));
        if (item != null) {
            hit.setDocumentField(new DocumentField(ModelIndices.ITEM_ID, List.of(item)));
        }
        if (vector != null) {
            hit.setDocumentField(new DocumentField(ModelIndices.VECTOR, List.of(vector)));
        }
        return hit;
    }

    public static SearchResponse searchResponse(SearchHit... hits) {
        return SearchResponseUtils.successfulResponse(SearchHits.unpooled(new ArrayList<>(List.of(hits)).toArray(SearchHit[]::new), null,
            1f));
    }

    /** An index's metadata carrying the given aliases. */
    public static IndexMetadata index(String name, String... aliases) {
        IndexMetadata.Builder b = IndexMetadata.builder(name)
            .settings(Settings.builder().put(IndexMetadata.SETTING_VERSION_CREATED, IndexVersion.current()))
            .numberOfShards(1)
            .numberOfReplicas(0);
        for (String alias : aliases) {
            b.putAlias(AliasMetadata.builder(alias));
        }
        return b.build();
    }

    /** The local indices a search resolved its target to, as the coordinating rewrite sees them. */
    public static ResolvedIndices resolvedIndices(IndexMetadata... indices) {
        Map<Index, IndexMetadata> local = new LinkedHashMap<>();
        for (IndexMetadata m : indices) {
            local.put(m.getIndex(), m);
        }
        try {
            var ctor = ResolvedIndices.class.getDeclaredConstructor(Map.class, OriginalIndices.class, Map.class);
            ctor.setAccessible(true);
            return ctor.newInstance(Map.of(), null, local);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** A resolve-index answer naming the alias's one index. */
    public static ResolveIndexAction.Response resolvedAlias(String alias, String index) {
        try {
            var ctor = ResolveIndexAction.ResolvedAlias.class.getDeclaredConstructor(String.class, String[].class);
            ctor.setAccessible(true);
            return new ResolveIndexAction.Response(List.of(), List.of(ctor.newInstance(alias, new String[] { index })), List.of());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
