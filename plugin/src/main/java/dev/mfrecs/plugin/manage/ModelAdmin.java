package dev.mfrecs.plugin.manage;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelLockDocument;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.contract.ModelStateDocument;
import dev.mfrecs.contract.TrainingRun;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.admin.indices.alias.IndicesAliasesRequest;
import org.elasticsearch.action.admin.indices.delete.DeleteIndexRequest;
import org.elasticsearch.action.admin.indices.resolve.ResolveIndexAction;
import org.elasticsearch.action.bulk.BulkRequest;
import org.elasticsearch.action.bulk.BulkResponse;
import org.elasticsearch.action.delete.DeleteRequest;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.support.IndicesOptions;
import org.elasticsearch.action.support.WriteRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.index.IndexNotFoundException;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.subphase.FetchSourceContext;
import org.elasticsearch.search.sort.SortOrder;
import org.elasticsearch.rest.RestStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The plugin's side of managing a model's versions over REST, with the trainer's rules ({@code VersionManager}): the live version
 * is the one the items alias points to; a rollback moves both aliases in one atomic {@code _aliases} call and pins the version in
 * the model's state document (scheduled trainer runs then train but do not publish until it is unpinned); the live version and a
 * pinned one are never deleted, and right before any index is deleted the aliases are read again; every change is made under the
 * model's lock ({@link ModelLease}) right after a fence. Deleting a whole model removes its indices (and with them its aliases),
 * its metadata documents and its pin; the state document keeps the last version number handed out, so numbers are never reused,
 * and the run records stay.
 * <p>
 * Every read and write goes through the node client with the caller's privileges. Blocking: used on the {@code management}
 * thread pool only.
 */
public final class ModelAdmin {

    static final TimeValue TIMEOUT = ModelLease.TIMEOUT;
    static final TimeValue MASTER_TIMEOUT = TimeValue.timeValueSeconds(30);
    /** Above any retention: versions a model may have at once as far as listings go. */
    static final int MAX_VERSIONS = 1000;

    private final Client client;

    public ModelAdmin(Client client) {
        this.client = client;
    }

    /** The model's state document and the sequence number it was read at ({@code seqNo} -1: not written yet). */
    public record State(ModelStateDocument document, long seqNo, long primaryTerm) {}

    /** The live version (the one the items alias points to), or -1 when the alias does not exist. */
    public int liveVersion(String model) {
        String alias = ModelIndices.itemsAlias(model);
        ResolveIndexAction.Response r;
        try {
            r = client.execute(ResolveIndexAction.INSTANCE, new ResolveIndexAction.Request(new String[] { alias })).actionGet(TIMEOUT);
        } catch (RuntimeException e) {
            rethrowUnlessMissing(e);
            return -1;
        }
        for (var a : r.getAliases()) {
            if (a.getName().equals(alias)) {
                for (String index : a.getIndices()) {
                    int v = ModelIndices.versionOfItemsIndex(model, index);
                    if (v >= 0) {
                        return v;
                    }
                }
            }
        }
        return -1;
    }

    /** The concrete indices an alias points to. */
    List<String> aliasTargets(String alias) {
        try {
            var r = client.execute(ResolveIndexAction.INSTANCE, new ResolveIndexAction.Request(new String[] { alias })).actionGet(TIMEOUT);
            for (var a : r.getAliases()) {
                if (a.getName().equals(alias)) {
                    return List.of(a.getIndices());
                }
            }
            return List.of();
        } catch (RuntimeException e) {
            rethrowUnlessMissing(e);
            return List.of();
        }
    }

    /** Whether {@value ModelIndices#METADATA_INDEX} exists (nothing was ever published or set up when it does not). */
    public boolean metadataIndexExists() {
        try {
            client.get(new GetRequest(ModelIndices.METADATA_INDEX, "_exists-check").realtime(false)).actionGet(TIMEOUT);
            return true;
        } catch (RuntimeException e) {
            rethrowUnlessMissing(e);
            return false;
        }
    }

    /** Every version's metadata document without the Gram matrix, newest first. */
    public List<Map<String, Object>> versions(String model) {
        SearchSourceBuilder source = new SearchSourceBuilder().query(QueryBuilders.termQuery(ModelMetadata.MODEL, model))
            .sort(ModelMetadata.VERSION, SortOrder.DESC)
            .size(MAX_VERSIONS)
            .fetchSource(FetchSourceContext.of(true, null, new String[] { ModelMetadata.GRAM_PATH }));
        try {
            SearchResponse r = client.search(new SearchRequest(ModelIndices.METADATA_INDEX).source(source)).actionGet(TIMEOUT);
            try {
                List<Map<String, Object>> out = new ArrayList<>();
                for (SearchHit hit : r.getHits().getHits()) {
                    out.add(hit.getSourceAsMap());
                }
                return out;
            } finally {
                r.decRef();
            }
        } catch (RuntimeException e) {
            rethrowUnlessMissing(e);
            return List.of();
        }
    }

    static int versionOf(Map<String, Object> metadata) {
        return ((Number) metadata.get(ModelMetadata.VERSION)).intValue();
    }

    public State state(String model) {
        String id = ModelStateDocument.id(model);
        try {
            GetResponse r = client.get(new GetRequest(ModelIndices.METADATA_INDEX, id)).actionGet(TIMEOUT);
            if (r.isExists() == false) {
                return new State(ModelStateDocument.initial(model), -1, -1);
            }
            return new State(ModelStateDocument.fromMap(id, r.getSourceAsMap()), r.getSeqNo(), r.getPrimaryTerm());
        } catch (RuntimeException e) {
            rethrowUnlessMissing(e);
            return new State(ModelStateDocument.initial(model), -1, -1);
        }
    }

    /** The model's lock as stored, expired or not. */
    public Optional<ModelLockDocument> lock(String model) {
        String id = ModelLockDocument.id(model);
        try {
            GetResponse r = client.get(new GetRequest(ModelIndices.METADATA_INDEX, id)).actionGet(TIMEOUT);
            return r.isExists() ? Optional.of(ModelLockDocument.fromMap(id, r.getSourceAsMap())) : Optional.empty();
        } catch (RuntimeException e) {
            rethrowUnlessMissing(e);
            return Optional.empty();
        }
    }

    /**
     * The model's newest run record, or empty when there is none or the caller may not read {@value ModelIndices#RUNS_INDEX}
     * (the recommendations role does not need it; a listing must not fail for it).
     */
    public Optional<Map<String, Object>> lastRun(String model) {
        SearchSourceBuilder source = new SearchSourceBuilder().query(QueryBuilders.termQuery(TrainingRun.MODEL, model))
            .sort(TrainingRun.STARTED, SortOrder.DESC)
            .size(1);
        try {
            SearchResponse r = client.search(new SearchRequest(ModelIndices.RUNS_INDEX).source(source)).actionGet(TIMEOUT);
            try {
                SearchHit[] hits = r.getHits().getHits();
                return hits.length == 0 ? Optional.empty() : Optional.of(hits[0].getSourceAsMap());
            } finally {
                r.decRef();
            }
        } catch (RuntimeException e) {
            if (forbidden(e) == false) {
                rethrowUnlessMissing(e);
            }
            return Optional.empty();
        }
    }

    /** Writes the state, conditional on the state it was derived from. */
    void writeState(State previous, ModelStateDocument next) {
        IndexRequest write = new IndexRequest(ModelIndices.METADATA_INDEX).id(ModelStateDocument.id(next.model())).source(next.toMap())
            .setRefreshPolicy(WriteRequest.RefreshPolicy.WAIT_UNTIL);
        if (previous.seqNo() >= 0) {
            write.setIfSeqNo(previous.seqNo()).setIfPrimaryTerm(previous.primaryTerm());
        } else {
            write.opType(DocWriteRequest.OpType.CREATE);
        }
        try {
            client.index(write).actionGet(TIMEOUT);
        } catch (RuntimeException e) {
            if (ModelLease.conflict(e)) {
                throw new ElasticsearchStatusException("the state of model [{}] changed while it was locked; nothing more was changed",
                    RestStatus.CONFLICT, e, next.model());
            }
            throw e;
        }
    }

    /** A 404 for a model nothing is published of. */
    public static ResourceNotFoundException modelNotFound(String model) {
        return new ResourceNotFoundException("model [{}] not found: no metadata in [{}]", model, ModelIndices.METADATA_INDEX);
    }

    /** Fails with a 404 unless the model has a published version (then {@value ModelIndices#METADATA_INDEX} exists too). */
    public List<Map<String, Object>> requireVersions(String model) {
        List<Map<String, Object>> versions = versions(model);
        if (versions.isEmpty()) {
            throw modelNotFound(model);
        }
        return versions;
    }

    /**
     * Makes {@code to} (or, when null, the newest version older than the live one) live and pins it. Returns the version now live.
     */
    public int rollback(String model, Integer to, String by, ModelLease lease) {
        List<Map<String, Object>> versions = requireVersions(model);
        int live = liveVersion(model);
        int target = -1;
        for (Map<String, Object> m : versions) {
            int v = versionOf(m);
            if (to != null ? v == to : v < live && v > target) {
                target = v;
            }
        }
        if (target < 0) {
            throw to != null
                ? new ResourceNotFoundException("model [{}] has no version [{}]", model, to)
                : new ElasticsearchStatusException("model [{}] has no version older than the live version [{}] to roll back to",
                    RestStatus.CONFLICT, model, live);
        }
        Set<String> present = concreteIndices(model);
        if (present.contains(ModelIndices.itemsIndex(model, target)) == false || present.contains(ModelIndices.usersIndex(model, target))
            == false) {
            throw new ResourceNotFoundException("model [{}] version [{}] has no indices any more", model, target);
        }
        swap(model, target, lease);
        State state = state(model);
        writeState(state, state.document().pinned(target, Instant.now(), by));
        return target;
    }

    /** Points both aliases at {@code version} in one atomic call, after a fence. */
    void swap(String model, int version, ModelLease lease) {
        lease.fence();
        IndicesAliasesRequest request = new IndicesAliasesRequest(MASTER_TIMEOUT, MASTER_TIMEOUT);
        for (String alias : List.of(ModelIndices.itemsAlias(model), ModelIndices.usersAlias(model))) {
            for (String current : aliasTargets(alias)) {
                request.addAliasAction(IndicesAliasesRequest.AliasActions.remove().index(current).alias(alias));
            }
        }
        request.addAliasAction(IndicesAliasesRequest.AliasActions.add().index(ModelIndices.itemsIndex(model, version))
            .alias(ModelIndices.itemsAlias(model)));
        request.addAliasAction(IndicesAliasesRequest.AliasActions.add().index(ModelIndices.usersIndex(model, version))
            .alias(ModelIndices.usersAlias(model)));
        client.admin().indices().aliases(request).actionGet(TIMEOUT);
    }

    /** Lifts a rollback's pin; returns the version that was pinned, or null. */
    public Integer unpin(String model, ModelLease lease) {
        requireVersions(model);
        lease.fence();
        State state = state(model);
        Integer pinned = state.document().pinnedVersion();
        if (pinned != null) {
            writeState(state, state.document().unpinned());
        }
        return pinned;
    }

    /** Deletes one version; the live one and a pinned one are refused with a 409 naming them. */
    public void deleteVersion(String model, int version, ModelLease lease) {
        List<Map<String, Object>> versions = requireVersions(model);
        if (versions.stream().noneMatch(m -> versionOf(m) == version)) {
            throw new ResourceNotFoundException("model [{}] has no version [{}]", model, version);
        }
        if (version == liveVersion(model)) {
            throw new ElasticsearchStatusException("model [{}] version [{}] is live; roll back to another version first",
                RestStatus.CONFLICT, model, version);
        }
        Integer pinned = state(model).document().pinnedVersion();
        if (pinned != null && pinned == version) {
            throw new ElasticsearchStatusException("model [{}] version [{}] is pinned by a rollback; unpin it first", RestStatus.CONFLICT,
                model, version);
        }
        lease.fence();
        Set<String> aliased = new HashSet<>(aliasTargets(ModelIndices.itemsAlias(model)));
        aliased.addAll(aliasTargets(ModelIndices.usersAlias(model)));
        List<String> indices = new ArrayList<>();
        Set<String> present = concreteIndices(model);
        for (String index : List.of(ModelIndices.itemsIndex(model, version), ModelIndices.usersIndex(model, version))) {
            if (aliased.contains(index)) {
                throw new ElasticsearchStatusException("refusing to delete model [{}] version [{}]: an alias points to [{}]",
                    RestStatus.CONFLICT, model, version, index);
            }
            if (present.contains(index)) {
                indices.add(index);
            }
        }
        deleteIndices(indices);
        client.delete(new DeleteRequest(ModelIndices.METADATA_INDEX, ModelIndices.metadataId(model, version)).setRefreshPolicy(
            WriteRequest.RefreshPolicy.WAIT_UNTIL)).actionGet(TIMEOUT);
    }

    /**
     * Deletes every version of the model: its indices (their aliases go with them), its metadata documents and its pin. Returns the
     * versions whose indices or metadata were deleted.
     */
    public List<Integer> deleteModel(String model, ModelLease lease) {
        List<Map<String, Object>> versions = requireVersions(model);
        Set<Integer> deleted = new TreeSet<>();
        versions.forEach(m -> deleted.add(versionOf(m)));
        Set<String> indices = concreteIndices(model);
        for (String index : indices) {
            int v = ModelIndices.versionOfItemsIndex(model, index.replaceFirst("-users-v", "-items-v"));
            if (v >= 0) {
                deleted.add(v);
            }
        }
        lease.fence();
        deleteIndices(new ArrayList<>(indices));
        BulkRequest bulk = new BulkRequest().setRefreshPolicy(WriteRequest.RefreshPolicy.WAIT_UNTIL);
        for (Map<String, Object> m : versions) {
            bulk.add(new DeleteRequest(ModelIndices.METADATA_INDEX, ModelIndices.metadataId(model, versionOf(m))));
        }
        BulkResponse r = client.bulk(bulk).actionGet(TIMEOUT);
        if (r.hasFailures()) {
            throw new ElasticsearchStatusException("deleted the indices of model [{}] but not all of its metadata documents: {}",
                RestStatus.INTERNAL_SERVER_ERROR, model, r.buildFailureMessage());
        }
        State state = state(model);
        if (state.document().pinnedVersion() != null) {
            writeState(state, state.document().unpinned());
        }
        return new ArrayList<>(deleted);
    }

    /** Concrete indices of any version of the model, open or closed. */
    Set<String> concreteIndices(String model) {
        ResolveIndexAction.Request request = new ResolveIndexAction.Request(new String[] { model + "-items-v*", model + "-users-v*" },
            IndicesOptions.LENIENT_EXPAND_OPEN_CLOSED);
        var r = client.execute(ResolveIndexAction.INSTANCE, request).actionGet(TIMEOUT);
        Set<String> out = new TreeSet<>();
        for (var index : r.getIndices()) {
            String name = index.getName();
            if (ModelIndices.versionOfItemsIndex(model, name.replaceFirst("-users-v", "-items-v")) >= 0) {
                out.add(name);
            }
        }
        return out;
    }

    private void deleteIndices(List<String> indices) {
        if (indices.isEmpty()) {
            return;
        }
        DeleteIndexRequest delete = new DeleteIndexRequest(indices.toArray(String[]::new));
        delete.masterNodeTimeout(MASTER_TIMEOUT);
        client.admin().indices().delete(delete).actionGet(TIMEOUT);
    }

    /** Rethrows {@code e} unless it (or its cause) says an index does not exist. */
    static void rethrowUnlessMissing(RuntimeException e) {
        if ((ExceptionsHelper.unwrapCause(e) instanceof IndexNotFoundException) == false) {
            throw e;
        }
    }

    /** {@code true} when {@code e} (or its cause) is a 403. */
    static boolean forbidden(Exception e) {
        return ExceptionsHelper.status(ExceptionsHelper.unwrapCause(e)) == RestStatus.FORBIDDEN;
    }

    /**
     * Every model that has a published version, with its live version, pin, lock and last run: what {@code GET _mf/model} lists.
     * The models and versions come from a search; each model's pin and lock from realtime GETs, because the trainer writes the lock
     * and state documents without a refresh (nothing searches them) and a listing must not show a lock already released.
     */
    public List<Map<String, Object>> listModels() {
        Map<String, List<Integer>> versions = new LinkedHashMap<>();
        SearchSourceBuilder source = new SearchSourceBuilder().query(QueryBuilders.existsQuery(ModelMetadata.VERSION))
            .size(10_000)
            .fetchSource(FetchSourceContext.of(true, new String[] { ModelMetadata.MODEL, ModelMetadata.VERSION }, null))
            .sort(ModelMetadata.VERSION, SortOrder.DESC);
        SearchResponse r;
        try {
            r = client.search(new SearchRequest(ModelIndices.METADATA_INDEX).source(source)).actionGet(TIMEOUT);
        } catch (RuntimeException e) {
            rethrowUnlessMissing(e);
            return List.of();
        }
        try {
            for (SearchHit hit : r.getHits().getHits()) {
                Map<String, Object> src = hit.getSourceAsMap();
                if (src.get(ModelMetadata.MODEL) instanceof String model && src.get(ModelMetadata.VERSION) instanceof Number v) {
                    versions.computeIfAbsent(model, m -> new ArrayList<>()).add(v.intValue());
                }
            }
        } finally {
            r.decRef();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String model : new TreeSet<>(versions.keySet())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", model);
            int live = liveVersion(model);
            m.put("live_version", live >= 0 ? live : null);
            m.put("versions", versions.get(model));
            m.put("pinned_version", state(model).document().pinnedVersion());
            Optional<ModelLockDocument> lock = lock(model);
            if (lock.isPresent()) {
                Map<String, Object> l = new LinkedHashMap<>();
                l.put("owner", lock.get().owner());
                l.put("purpose", lock.get().purpose());
                l.put("expires", lock.get().expires().toString());
                l.put("expired", lock.get().expires().isAfter(Instant.now()) == false);
                m.put("lock", l);
            } else {
                m.put("lock", null);
            }
            m.put("last_run", lastRun(model).map(ModelAdmin::runSummary).orElse(null));
            out.add(m);
        }
        return out;
    }

    /** The fields of a run record a listing shows: when, how it ended, the version and the error. */
    static Map<String, Object> runSummary(Map<String, Object> run) {
        Map<String, Object> s = new LinkedHashMap<>();
        for (String key : List.of("run_id", "started", "ended", "outcome", "version", "error")) {
            s.put(key, run.get(key));
        }
        return s;
    }
}
