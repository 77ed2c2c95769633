package dev.mfrecs.plugin.model;

import dev.mfrecs.contract.MetadataException;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.plugin.stats.MfStats;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ActionRunnable;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.action.admin.indices.resolve.ResolveIndexAction;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.common.cache.Cache;
import org.elasticsearch.common.cache.CacheBuilder;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.search.fetch.subphase.FetchSourceContext;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Finds the live version of a model and its metadata without blocking: the items alias names the live concrete index
 * (one {@code _resolve/index} call, answered from the coordinating node's cluster state), and the metadata document of
 * that version is parsed once (on the plugin's executor: a Gram matrix of d^2 numbers is not parsed on a network thread) and
 * then cached.
 * <p>
 * Every read runs with the caller's privileges. The alias is resolved with {@code indices:admin/resolve/index}, which
 * the {@code read} index privilege grants (a get-aliases call would need {@code view_index_metadata}). The cache is
 * never an authorization shortcut: on a hit the metadata document is still read, without its source, so a caller
 * without {@code read} on {@value ModelIndices#METADATA_INDEX} gets a 403 even after another user warmed the cache.
 * <p>
 * That read also validates the entry: a cached document is used only while the stored document still has the
 * {@code _seq_no} and {@code _primary_term} it was parsed from, so a document rewritten under the same id (a version number
 * published again after a delete) is read again instead of served stale. A caller who cannot see the document (document-level
 * security) gets a 404 and leaves the entry alone. A view with fields filtered away (field-level security) fails the contract's
 * strict read, which requires every declared key, with a 500 that names the field; it is never cached.
 * <p>
 * Metadata documents are written with {@code refresh=wait_for} before the alias moves to their version, so they are read
 * with {@code realtime=false}: from the last refreshed reader, which skips the realtime get's version-map lookup.
 * <p>
 * A query whose search targets the model's items alias needs no alias resolution at all: the search has resolved its
 * indices already, so only the metadata (authorization) read is sent. Otherwise the authorization read of the cached
 * metadata is sent speculatively, at the same time as the alias resolution, for the version this node saw live last time;
 * when the alias still points there (the usual case) both answers are used, otherwise the new version's metadata is read
 * after.
 */
public final class ModelResolver {

    /** A parsed document with the sequence number and primary term it was parsed at. */
    private record Cached(ModelMetadata metadata, long seqNo, long primaryTerm) {
        boolean current(GetResponse response) {
            return response.getSeqNo() == seqNo && response.getPrimaryTerm() == primaryTerm;
        }
    }

    private final Cache<String, Cached> cache = CacheBuilder.<String, Cached>builder()
        .setMaximumWeight(256)
        .setExpireAfterAccess(TimeValue.timeValueHours(1))
        .build();

    /** The concrete items index each model's alias pointed to when last resolved here: the speculation's guess. */
    private final ConcurrentHashMap<String, String> lastLive = new ConcurrentHashMap<>();

    private final Executor executor;
    private final MfStats stats;

    /** A resolver whose cache hits and misses nobody reads: for tests and tools. */
    public ModelResolver(Executor executor) {
        this(executor, new MfStats());
    }

    public ModelResolver(Executor executor, MfStats stats) {
        this.executor = executor;
        this.stats = stats;
    }

    public void resolve(Client client, String model, ActionListener<ModelMetadata> listener) {
        resolve(client, model, null, listener);
    }

    /**
     * Like {@link #resolve(Client, String, ActionListener)}, for a query inside a search whose target indices are
     * {@code searched} (the coordinating rewrite's {@link QueryRewriteContext#getResolvedIndices()}, or null): when the
     * search runs on the model's live items index, that index is taken from the search's own resolution and no alias
     * resolution is sent (see {@link #liveItemsIndex}).
     */
    public void resolve(Client client, String model, @Nullable ResolvedIndices searched, ActionListener<ModelMetadata> listener) {
        String invalid = ModelIndices.validateModelName(model);
        if (invalid != null) {
            listener.onFailure(new IllegalArgumentException("[mf] " + invalid));
            return;
        }
        String live = liveItemsIndex(searched, model);
        if (live != null) {
            lastLive.put(model, live);
            readMetadata(client, model, ModelIndices.versionOfItemsIndex(model, live), live, listener);
            return;
        }
        String guess = lastLive.get(model);
        Cached guessed = guess == null ? null : cache.get(guess);
        if (guessed == null) {
            resolveAlias(client, model, listener.delegateFailureAndWrap((l, concrete) -> readMetadata(client, model,
                ModelIndices.versionOfItemsIndex(model, concrete), concrete, l)));
            return;
        }
        String id = guessed.metadata().documentId();
        BothAnswered.<String, GetResponse, ModelMetadata>run(
            l -> resolveAlias(client, model, l),
            l -> client.get(authorizationRead(id), l),
            listener,
            (alias, check, l) -> {
                if (alias.failed()) {
                    l.onFailure(alias.failure());
                } else if (alias.value().equals(guess) == false) {
                    readMetadata(client, model, ModelIndices.versionOfItemsIndex(model, alias.value()), alias.value(), l);
                } else if (check.failed()) {
                    l.onFailure(check.failure() instanceof IndexNotFoundException ? missingMetadata(guessed.metadata().model(),
                        guessed.metadata().version(), id) : check.failure());
                } else {
                    useOrReread(client, guess, id, guessed, check.value(), l);
                }
            }
        );
    }

    /**
     * The metadata {@link #resolve} will most likely answer with, known without any read: the cached document of the version the
     * search targets ({@link #liveItemsIndex}) or, outside a search, of the version this node saw live last. Null when nothing is
     * cached. Not an authorization and not an answer: a caller may only shape reads that run with its own privileges by it
     * (e.g. start a user's events search while the model resolves), and must use what they found only if {@link #resolve} then
     * answers with this very instance ({@code ==}): the same version, parsed from the same document.
     */
    @Nullable
    public ModelMetadata speculate(String model, @Nullable ResolvedIndices searched) {
        if (ModelIndices.validateModelName(model) != null) {
            return null;
        }
        String live = liveItemsIndex(searched, model);
        String index = live != null ? live : lastLive.get(model);
        Cached cached = index == null ? null : cache.get(index);
        return cached == null ? null : cached.metadata();
    }

    private static GetRequest authorizationRead(String id) {
        GetRequest get = new GetRequest(ModelIndices.METADATA_INDEX, id).realtime(false);
        get.fetchSourceContext(FetchSourceContext.DO_NOT_FETCH_SOURCE);
        return get;
    }

    private void resolveAlias(Client client, String model, ActionListener<String> listener) {
        String alias = ModelIndices.itemsAlias(model);
        ResolveIndexAction.Request request = new ResolveIndexAction.Request(new String[] { alias });
        client.execute(ResolveIndexAction.INSTANCE, request, ActionListener.wrap(response -> {
            var targets = response.getAliases().stream().filter(a -> a.getName().equals(alias)).toList();
            if (targets.isEmpty()) {
                listener.onFailure(notFound(model));
            } else if (targets.get(0).getIndices().length != 1) {
                listener.onFailure(new ResourceNotFoundException("model [{}] not found: alias [{}] points to several indices {}", model,
                    alias, Arrays.toString(targets.get(0).getIndices())));
            } else {
                String concrete = targets.get(0).getIndices()[0];
                if (ModelIndices.versionOfItemsIndex(model, concrete) < 0) {
                    listener.onFailure(new ResourceNotFoundException("model [{}] not found: alias [{}] points to [{}], not a model index",
                        model, alias, concrete));
                } else {
                    lastLive.put(model, concrete);
                    listener.onResponse(concrete);
                }
            }
        }, e -> listener.onFailure(e instanceof IndexNotFoundException ? notFound(model) : e)));
    }

    /**
     * The model's live items index if the search targets it: the one searched index that carries the model's items
     * alias in the cluster state the search resolved its indices with, so the metadata read and the kNN agree on the
     * version. The search action has already authorized the caller for its indices; the metadata document is still
     * read as the caller. Null when the search does not target it (then the alias is resolved by an action).
     */
    @Nullable
    public static String liveItemsIndex(@Nullable ResolvedIndices searched, String model) {
        if (searched == null) {
            return null;
        }
        String alias = ModelIndices.itemsAlias(model);
        String found = null;
        for (IndexMetadata index : searched.getConcreteLocalIndicesMetadata().values()) {
            if (index.getAliases().containsKey(alias)) {
                if (found != null) {
                    return null; // several: let the alias resolution report it
                }
                found = index.getIndex().getName();
            }
        }
        return found != null && ModelIndices.versionOfItemsIndex(model, found) >= 0 ? found : null;
    }

    private void readMetadata(Client client, String model, int version, String concrete, ActionListener<ModelMetadata> listener) {
        String id = ModelIndices.metadataId(model, version);
        Cached cached = cache.get(concrete);
        GetRequest get = cached != null ? authorizationRead(id) : new GetRequest(ModelIndices.METADATA_INDEX, id).realtime(false);
        client.get(get, ActionListener.wrap(response -> {
            if (cached != null) {
                useOrReread(client, concrete, id, cached, response, listener);
            } else {
                parseAndCache(concrete, model, version, response, listener);
            }
        }, e -> listener.onFailure(e instanceof IndexNotFoundException ? missingMetadata(model, version, id) : e)));
    }

    /** Serves the cached document if the authorization read found it unchanged; reads it again if it was rewritten. */
    private void useOrReread(Client client, String concrete, String id, Cached cached, GetResponse check,
                             ActionListener<ModelMetadata> listener) {
        if (check.isExists() == false) {
            // Deleted, or invisible to this caller (document-level security): a 404 for this caller only.
            listener.onFailure(missingMetadata(cached.metadata().model(), cached.metadata().version(), id));
        } else if (cached.current(check)) {
            stats.metadataCacheHit();
            listener.onResponse(cached.metadata());
        } else {
            cache.invalidate(concrete, cached);
            ModelMetadata stale = cached.metadata();
            client.get(new GetRequest(ModelIndices.METADATA_INDEX, id).realtime(false), listener.delegateFailureAndWrap(
                (l, response) -> parseAndCache(concrete, stale.model(), stale.version(), response, l)));
        }
    }

    private void parseAndCache(String concrete, String model, int version, GetResponse response, ActionListener<ModelMetadata> listener) {
        if (response.isExists() == false) {
            listener.onFailure(missingMetadata(model, version, response.getId()));
            return;
        }
        stats.metadataCacheMiss();
        executor.execute(ActionRunnable.supply(listener, () -> {
            ModelMetadata metadata = parse(response.getId(), response);
            cache.put(concrete, new Cached(metadata, response.getSeqNo(), response.getPrimaryTerm()));
            return metadata;
        }));
    }

    /** Reads a metadata document through the contract; a document that does not satisfy it is a 500 naming the field. */
    public static ModelMetadata parse(String id, GetResponse response) {
        try {
            return ModelMetadata.fromMap(id, response.getSourceAsMap());
        } catch (MetadataException e) {
            throw new ElasticsearchStatusException("{}; if field-level security applies to [{}], grant read on all of its fields",
                RestStatus.INTERNAL_SERVER_ERROR, e, e.getMessage(), ModelIndices.METADATA_INDEX);
        }
    }

    private static ResourceNotFoundException missingMetadata(String model, int version, String id) {
        return new ResourceNotFoundException("model [{}] version [{}] has no metadata document [{}] in [{}]", model, version, id,
            ModelIndices.METADATA_INDEX);
    }

    public static ResourceNotFoundException notFound(String model) {
        return new ResourceNotFoundException("model [{}] not found: no index behind alias [{}]", model, ModelIndices.itemsAlias(model));
    }
}
