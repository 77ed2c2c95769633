package dev.mfrecs.plugin.model;

import dev.mfrecs.mappings.ModelIndices;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.admin.indices.alias.get.GetAliasesRequest;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.cache.Cache;
import org.elasticsearch.common.cache.CacheBuilder;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.index.IndexNotFoundException;

/**
 * Finds the live version of a model and its metadata without blocking: the items alias names the live concrete index
 * (one local cluster-state read), and the metadata document of that version is read once and cached.
 * <p>
 * The cache is keyed by the concrete items index: versions are immutable, so an entry never needs invalidation; a
 * rollback or a new version moves the alias and therefore changes the key. Entries expire after an hour unused so a
 * deleted model does not pin memory.
 */
public final class ModelResolver {

    /** One per JVM: query builders are created by parsers and have no other route to shared state. */
    public static final ModelResolver INSTANCE = new ModelResolver();

    private final Cache<String, ModelMetadata> cache = CacheBuilder.<String, ModelMetadata>builder()
        .setMaximumWeight(256)
        .setExpireAfterAccess(TimeValue.timeValueHours(1))
        .build();

    private ModelResolver() {}

    public void resolve(Client client, String model, ActionListener<ModelMetadata> listener) {
        String invalid = ModelIndices.validateModelName(model);
        if (invalid != null) {
            listener.onFailure(new IllegalArgumentException("[mf] " + invalid));
            return;
        }
        String alias = ModelIndices.itemsAlias(model);
        GetAliasesRequest request = new GetAliasesRequest(TimeValue.THIRTY_SECONDS, alias);
        client.admin().indices().getAliases(request, listener.delegateFailureAndWrap((l, response) -> {
            String concrete = response.getAliases()
                .entrySet()
                .stream()
                .filter(e -> e.getValue().stream().anyMatch(a -> a.alias().equals(alias)))
                .map(java.util.Map.Entry::getKey)
                .findFirst()
                .orElse(null);
            if (concrete == null) {
                l.onFailure(notFound(model));
                return;
            }
            int version = ModelIndices.versionOfItemsIndex(model, concrete);
            if (version < 0) {
                l.onFailure(new ResourceNotFoundException("model [{}] not found: alias [{}] points to [{}], not a model index", model,
                    alias, concrete));
                return;
            }
            ModelMetadata cached = cache.get(concrete);
            if (cached != null) {
                l.onResponse(cached);
                return;
            }
            String id = ModelIndices.metadataId(model, version);
            client.get(new GetRequest(ModelIndices.METADATA_INDEX, id), ActionListener.wrap(get -> {
                if (get.isExists() == false) {
                    l.onFailure(missingMetadata(model, version, id));
                    return;
                }
                ModelMetadata metadata = ModelMetadata.parse(id, get.getSourceAsMap());
                cache.put(concrete, metadata);
                l.onResponse(metadata);
            }, e -> l.onFailure(e instanceof IndexNotFoundException ? missingMetadata(model, version, id) : e)));
        }));
    }

    private static ResourceNotFoundException missingMetadata(String model, int version, String id) {
        return new ResourceNotFoundException("model [{}] version [{}] has no metadata document [{}] in [{}]", model, version, id,
            ModelIndices.METADATA_INDEX);
    }

    public static ResourceNotFoundException notFound(String model) {
        return new ResourceNotFoundException("model [{}] not found: no index behind alias [{}]", model, ModelIndices.itemsAlias(model));
    }
}
