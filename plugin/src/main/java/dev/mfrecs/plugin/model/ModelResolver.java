package dev.mfrecs.plugin.model;

import dev.mfrecs.mappings.ModelIndices;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.action.admin.indices.resolve.ResolveIndexAction;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.cluster.metadata.IndexMetadata;
import org.elasticsearch.common.cache.Cache;
import org.elasticsearch.common.cache.CacheBuilder;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.search.fetch.subphase.FetchSourceContext;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Finds the live version of a model and its metadata without blocking: the items alias names the live concrete index
 * (one {@code _resolve/index} call, answered from the coordinating node's cluster state), and the metadata document of
 * that version is parsed once and cached.
 * <p>
 * Every read runs with the caller's privileges. The alias is resolved with {@code indices:admin/resolve/index}, which
 * the {@code read} index privilege grants (a get-aliases call would need {@code view_index_metadata}). The cache is
 * never an authorization shortcut: on a hit the metadata document is still read, without its source, so a caller
 * without {@code read} on {@value ModelIndices#METADATA_INDEX} gets a 403 even after another user warmed the cache.
 * <p>
 * The cache is keyed by the concrete items index: versions are immutable, so an entry never needs invalidation; a
 * rollback or a new version moves the alias and therefore changes the key. Entries expire after an hour unused so a
 * deleted model does not pin memory.
 * <p>
 * Metadata documents are written with {@code refresh=wait_for} before the alias moves to their version and never change,
 * so they are read with {@code realtime=false}: from the last refreshed reader, which skips the realtime get's
 * version-map lookup (measurably cheaper per read on the serving path).
 * <p>
 * A query whose search targets the model's items alias needs no alias resolution at all: the search has resolved its
 * indices already, so only the metadata (authorization) read is sent.
 * <p>
 * Otherwise, to keep a query at one round trip before its kNN, the authorization read of the cached metadata is sent
 * speculatively, at the same time as the alias resolution, for the version this node saw live last time; when the alias
 * still points there (the usual case) both answers are used, otherwise the metadata of the new version is read after.
 */
public final class ModelResolver {

    /** One per JVM: query builders are created by parsers and have no other route to shared state. */
    public static final ModelResolver INSTANCE = new ModelResolver();

    private final Cache<String, ModelMetadata> cache = CacheBuilder.<String, ModelMetadata>builder()
        .setMaximumWeight(256)
        .setExpireAfterAccess(TimeValue.timeValueHours(1))
        .build();

    /** The concrete items index each model's alias pointed to when last resolved here: the speculation's guess. */
    private final ConcurrentHashMap<String, String> lastLive = new ConcurrentHashMap<>();

    private ModelResolver() {}

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
        String alias = ModelIndices.itemsAlias(model);
        String guess = lastLive.get(model);
        ModelMetadata guessed = guess == null ? null : cache.get(guess);
        AtomicReference<String> resolved = new AtomicReference<>();
        AtomicReference<Exception> resolveFailure = new AtomicReference<>();
        AtomicReference<Exception> guessFailure = new AtomicReference<>();
        AtomicReference<Boolean> guessExists = new AtomicReference<>();
        AtomicInteger pending = new AtomicInteger(guessed == null ? 1 : 2);
        Runnable join = () -> {
            if (pending.decrementAndGet() != 0) {
                return;
            }
            if (resolveFailure.get() != null) {
                Exception e = resolveFailure.get();
                listener.onFailure(e instanceof IndexNotFoundException ? notFound(model) : e);
                return;
            }
            String concrete = resolved.get();
            int version = ModelIndices.versionOfItemsIndex(model, concrete);
            if (guessed != null && concrete.equals(guess)) {
                if (guessFailure.get() != null) {
                    Exception e = guessFailure.get();
                    listener.onFailure(e instanceof IndexNotFoundException ? missingMetadata(model, version, ModelIndices.metadataId(model, version)) : e);
                } else if (Boolean.TRUE.equals(guessExists.get())) {
                    listener.onResponse(guessed);
                } else {
                    cache.invalidate(concrete);
                    listener.onFailure(missingMetadata(model, version, ModelIndices.metadataId(model, version)));
                }
                return;
            }
            readMetadata(client, model, version, concrete, listener);
        };
        ResolveIndexAction.Request request = new ResolveIndexAction.Request(new String[] { alias });
        client.execute(ResolveIndexAction.INSTANCE, request, ActionListener.wrap(response -> {
            String concrete = response.getAliases()
                .stream()
                .filter(a -> a.getName().equals(alias) && a.getIndices().length == 1)
                .map(a -> a.getIndices()[0])
                .findFirst()
                .orElse(null);
            if (concrete == null) {
                boolean multiple = response.getAliases().stream().anyMatch(a -> a.getName().equals(alias) && a.getIndices().length > 1);
                resolveFailure.set(multiple ? new ResourceNotFoundException("model [{}] not found: alias [{}] points to several indices {}",
                    model, alias, response.getAliases().stream().map(a -> Arrays.toString(a.getIndices())).toList()) : notFound(model));
            } else if (ModelIndices.versionOfItemsIndex(model, concrete) < 0) {
                resolveFailure.set(new ResourceNotFoundException("model [{}] not found: alias [{}] points to [{}], not a model index", model,
                    alias, concrete));
            } else {
                resolved.set(concrete);
                lastLive.put(model, concrete);
            }
            join.run();
        }, e -> {
            resolveFailure.set(e);
            join.run();
        }));
        if (guessed != null) {
            GetRequest get = new GetRequest(ModelIndices.METADATA_INDEX, ModelIndices.metadataId(model, guessed.version())).realtime(false);
            get.fetchSourceContext(FetchSourceContext.DO_NOT_FETCH_SOURCE);
            client.get(get, ActionListener.wrap(r -> {
                guessExists.set(r.isExists());
                join.run();
            }, e -> {
                guessFailure.set(e);
                join.run();
            }));
        }
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
        ModelMetadata cached = cache.get(concrete);
        GetRequest get = new GetRequest(ModelIndices.METADATA_INDEX, id).realtime(false);
        if (cached != null) {
            // Only the authorization and existence check: the parsed document is immutable and already here.
            get.fetchSourceContext(FetchSourceContext.DO_NOT_FETCH_SOURCE);
        }
        client.get(get, ActionListener.wrap(response -> {
            if (response.isExists() == false) {
                cache.invalidate(concrete);
                listener.onFailure(missingMetadata(model, version, id));
                return;
            }
            if (cached != null) {
                listener.onResponse(cached);
                return;
            }
            ModelMetadata metadata = ModelMetadata.parse(id, response.getSourceAsMap());
            cache.put(concrete, metadata);
            listener.onResponse(metadata);
        }, e -> listener.onFailure(e instanceof IndexNotFoundException ? missingMetadata(model, version, id) : e)));
    }

    private static ResourceNotFoundException missingMetadata(String model, int version, String id) {
        return new ResourceNotFoundException("model [{}] version [{}] has no metadata document [{}] in [{}]", model, version, id,
            ModelIndices.METADATA_INDEX);
    }

    public static ResourceNotFoundException notFound(String model) {
        return new ResourceNotFoundException("model [{}] not found: no index behind alias [{}]", model, ModelIndices.itemsAlias(model));
    }
}
