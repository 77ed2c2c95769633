package dev.mfrecs.trainer.publish;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.OpType;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.indices.update_aliases.Action;
import co.elastic.clients.elasticsearch.tasks.GetTasksResponse;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.trainer.log.ProgressLog;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Publishes a trained model as a new immutable version and makes it live atomically: versioned item and user indices
 * with explicit {@code dense_vector} mappings, bulk writes with backpressure, count verification, the metadata
 * document, then one {@code _aliases} call that moves both aliases. Any failure before the swap deletes what this run
 * wrote, so the previous version keeps serving and nothing half-written is ever visible. Also lists, rolls back and
 * deletes versions.
 */
public final class ModelPublisher {

    /** A user's training history stored with their vector is capped: it serves exclude-seen and explanations. */
    static final int MAX_SEEN_ITEMS = 500;
    static final int BULK_BATCH = 1_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Called after every bulk request of a publish; tests use it to fail a publish half-way, as a killed trainer would. */
    public interface BulkListener {
        void afterBulk(String index, long documentsWritten) throws IOException;

        BulkListener NONE = (index, written) -> {};
    }

    private final ElasticsearchClient client;
    private final ProgressLog log;
    private final BulkListener bulkListener;
    private final boolean forceMerge;

    public ModelPublisher(ElasticsearchClient client, ProgressLog log) {
        this(client, log, BulkListener.NONE);
    }

    public ModelPublisher(ElasticsearchClient client, ProgressLog log, BulkListener bulkListener) {
        this(client, log, bulkListener, false);
    }

    private ModelPublisher(ElasticsearchClient client, ProgressLog log, BulkListener bulkListener, boolean forceMerge) {
        this.client = client;
        this.log = log;
        this.bulkListener = bulkListener;
        this.forceMerge = forceMerge;
    }

    /**
     * This publisher, force-merging each new version's item and user indices to one segment before the alias swap. A
     * version is never written again once live, so one segment is its final shape: a kNN search then walks one HNSW
     * graph per shard instead of one per segment. The merge rebuilds the graph, so publishing takes longer.
     */
    public ModelPublisher withForceMerge(boolean on) {
        return new ModelPublisher(client, log, bulkListener, on);
    }

    /** Publishes and swaps; returns the new version. Keeps the newest {@code keep} versions. */
    public int publish(ModelArtifacts a, CatalogSource catalog, int keep) throws IOException {
        String invalid = ModelIndices.validateModelName(a.model());
        if (invalid != null) {
            throw new IllegalArgumentException(invalid);
        }
        ensureMetadataIndex();
        cleanOrphans(a.model());
        int version = nextVersion(a.model());
        String items = ModelIndices.itemsIndex(a.model(), version);
        String users = ModelIndices.usersIndex(a.model(), version);
        String metadataId = ModelIndices.metadataId(a.model(), version);
        log.step("publishing model [" + a.model() + "] version [" + version + "] into [" + items + "] and [" + users + "]");
        boolean swapped = false;
        try {
            createVectorIndex(items, "item-vectors.json", a.vectorDims());
            createVectorIndex(users, "user-vectors.json", a.vectorDims());
            writeItems(a, version, items, catalog);
            writeUsers(a, version, users);
            client.indices().refresh(r -> r.index(items, users));
            verifyCount(items, a.itemIds().size());
            verifyCount(users, a.userIds().size());
            if (forceMerge) {
                forceMergeToOneSegment(items, users);
            }
            Map<String, Object> metadata = a.metadata().withVersion(version).toMap();
            // Raw JSON: the contract writes unset values as explicit nulls, which the client's serializer would drop.
            BinaryData document = BinaryData.of(JSON.writeValueAsBytes(metadata), ContentType.APPLICATION_JSON);
            client.index(i -> i.index(ModelIndices.METADATA_INDEX).id(metadataId).document(document).refresh(Refresh.WaitFor)
                .opType(OpType.Create));
            swapAliases(a.model(), version);
            swapped = true;
        } finally {
            if (swapped == false) {
                log.step("publishing version [" + version + "] failed; deleting what it wrote");
                deleteQuietly(a.model(), version);
            }
        }
        log.step("alias [" + ModelIndices.itemsAlias(a.model()) + "] now points to version [" + version + "]");
        retain(a.model(), keep);
        return version;
    }

    /**
     * Deletes versioned indices of this model that no alias points to and no metadata document describes: what a
     * trainer killed in the middle of publishing leaves behind.
     */
    void cleanOrphans(String model) throws IOException {
        Set<Integer> described = new HashSet<>();
        for (Map<String, Object> v : versions(model)) {
            described.add(((Number) v.get("version")).intValue());
        }
        int live = liveVersion(model);
        var indices = client.indices().get(g -> g.index(model + "-items-v*", model + "-users-v*").allowNoIndices(true)
            .ignoreUnavailable(true)).indices().keySet();
        for (String index : indices) {
            String items = index.replaceFirst("-users-v", "-items-v");
            int v = ModelIndices.versionOfItemsIndex(model, items);
            if (v >= 0 && v != live && described.contains(v) == false) {
                log.step("deleting [" + index + "], left over by an unfinished publish");
                client.indices().delete(d -> d.index(index));
            }
        }
    }

    public void ensureMetadataIndex() throws IOException {
        if (client.indices().exists(e -> e.index(ModelIndices.METADATA_INDEX)).value()) {
            return;
        }
        try {
            String body = ModelIndices.template("model-metadata.json");
            client.indices().create(c -> c.index(ModelIndices.METADATA_INDEX).withJson(new StringReader(body)));
        } catch (ElasticsearchException e) {
            if ("resource_already_exists_exception".equals(e.error().type()) == false) {
                throw e;
            }
        }
    }

    int nextVersion(String model) throws IOException {
        int max = 0;
        for (Map<String, Object> v : versions(model)) {
            max = Math.max(max, ((Number) v.get("version")).intValue());
        }
        // An index left by a crashed run (or a deleted metadata doc) must not be reused.
        return nextFree(model, max + 1);
    }

    private int nextFree(String model, int from) throws IOException {
        int v = from;
        while (true) {
            final int candidate = v;
            boolean taken = client.indices().exists(e -> e.index(ModelIndices.itemsIndex(model, candidate))).value()
                || client.indices().exists(e -> e.index(ModelIndices.usersIndex(model, candidate))).value();
            if (taken == false) {
                return v;
            }
            v++;
        }
    }

    private void createVectorIndex(String index, String template, int dims) throws IOException {
        ObjectNode body = (ObjectNode) JSON.readTree(ModelIndices.template(template));
        for (String field : List.of(ModelIndices.VECTOR, ModelIndices.VECTOR_COSINE)) {
            if (body.path("mappings").path("properties").has(field)) {
                ((ObjectNode) body.path("mappings").path("properties").path(field)).put("dims", dims);
            }
        }
        String json = JSON.writeValueAsString(body);
        client.indices().create(c -> c.index(index).withJson(new StringReader(json)));
    }

    private void writeItems(ModelArtifacts a, int version, String index, CatalogSource catalog) throws IOException {
        int d = a.vectorDims();
        List<String> ids = a.itemIds();
        try (BulkWriter bulk = new BulkWriter(client, index, BULK_BATCH, bulkListener)) {
            for (int start = 0; start < ids.size(); start += BULK_BATCH) {
                List<String> batch = ids.subList(start, Math.min(ids.size(), start + BULK_BATCH));
                Map<String, Map<String, Object>> attributes = catalog == null ? Map.of() : catalogAttributes(catalog, batch);
                for (int j = 0; j < batch.size(); j++) {
                    int i = start + j;
                    Map<String, Object> doc = new LinkedHashMap<>(attributes.getOrDefault(batch.get(j), Map.of()));
                    doc.put(ModelIndices.ITEM_ID, batch.get(j));
                    float[] v = slice(a.itemVectors(), i, d);
                    doc.put(ModelIndices.VECTOR, v);
                    if (isZero(v) == false) {
                        // Cosine is undefined for a zero vector (an item nobody interacted with after filtering).
                        doc.put(ModelIndices.VECTOR_COSINE, v);
                    }
                    doc.put(ModelIndices.POPULARITY, a.itemPopularity()[i]);
                    if (a.itemBias() != null) {
                        doc.put(ModelIndices.BIAS, a.itemBias()[i]);
                    }
                    doc.put(ModelIndices.MODEL, a.model());
                    doc.put(ModelIndices.MODEL_VERSION, version);
                    bulk.add(batch.get(j), doc);
                }
            }
        }
        log.step("wrote " + ids.size() + " item vectors");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> catalogAttributes(CatalogSource catalog, List<String> ids) throws IOException {
        @SuppressWarnings("rawtypes")
        MgetResponse<Map> response = client.mget(m -> m.index(catalog.index()).ids(ids), Map.class);
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (var doc : response.docs()) {
            if (doc.isResult() && doc.result().found() && doc.result().source() != null) {
                Map<String, Object> src = new LinkedHashMap<>((Map<String, Object>) doc.result().source());
                if (catalog.fields().isEmpty() == false) {
                    src.keySet().retainAll(catalog.fields());
                }
                // Our own fields win over catalog fields of the same name.
                src.keySet().removeAll(List.of(ModelIndices.ITEM_ID, ModelIndices.VECTOR, ModelIndices.VECTOR_COSINE, ModelIndices.BIAS,
                    ModelIndices.POPULARITY, ModelIndices.MODEL, ModelIndices.MODEL_VERSION));
                out.put(doc.result().id(), src);
            }
        }
        return out;
    }

    private void writeUsers(ModelArtifacts a, int version, String index) throws IOException {
        int d = a.vectorDims();
        CsrMatrix m = a.userItems();
        try (BulkWriter bulk = new BulkWriter(client, index, BULK_BATCH, bulkListener)) {
            for (int u = 0; u < a.userIds().size(); u++) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put(ModelIndices.USER_ID, a.userIds().get(u));
                doc.put(ModelIndices.VECTOR, slice(a.userVectors(), u, d));
                List<String> seen = new ArrayList<>();
                List<Float> values = new ArrayList<>();
                if (m != null && u < m.rows()) {
                    int from = m.indptr()[u];
                    int to = m.indptr()[u + 1];
                    Integer[] order = new Integer[to - from];
                    for (int j = 0; j < order.length; j++) {
                        order[j] = from + j;
                    }
                    java.util.Arrays.sort(order, (x, y) -> Float.compare(m.values()[y], m.values()[x]));
                    for (int j = 0; j < Math.min(order.length, MAX_SEEN_ITEMS); j++) {
                        seen.add(a.itemIds().get(m.indices()[order[j]]));
                        values.add(m.values()[order[j]]);
                    }
                }
                doc.put(ModelIndices.SEEN_ITEMS, seen);
                doc.put(ModelIndices.SEEN_VALUES, values);
                if (a.userBias() != null) {
                    doc.put(ModelIndices.BIAS, a.userBias()[u]);
                }
                doc.put(ModelIndices.MODEL, a.model());
                doc.put(ModelIndices.MODEL_VERSION, version);
                bulk.add(a.userIds().get(u), doc);
            }
        }
        log.step("wrote " + a.userIds().size() + " user vectors");
    }

    /**
     * Merges the indices to one segment, as a background task polled here: a large vector index can take longer to
     * merge than an HTTP request may stay open.
     */
    private void forceMergeToOneSegment(String... indices) throws IOException {
        long start = System.nanoTime();
        log.step("force-merging " + String.join(", ", indices) + " to one segment");
        String task = client.indices().forcemerge(f -> f.index(List.of(indices)).maxNumSegments(1L).waitForCompletion(false)).task();
        if (task == null) {
            throw new IOException("force merge of " + Arrays.toString(indices) + " returned no task to wait for");
        }
        while (true) {
            GetTasksResponse status = client.tasks().get(t -> t.taskId(task));
            if (status.error() != null) {
                throw new IOException("force merge of " + Arrays.toString(indices) + " failed: " + status.error().reason());
            }
            if (status.completed()) {
                break;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the force merge of " + Arrays.toString(indices), e);
            }
        }
        client.indices().refresh(r -> r.index(List.of(indices)));
        log.step(String.format(Locale.ROOT, "force-merged in %.1fs", (System.nanoTime() - start) / 1e9));
    }

    private void verifyCount(String index, long expected) throws IOException {
        long count = client.count(c -> c.index(index)).count();
        if (count != expected) {
            throw new IOException("index [" + index + "] holds [" + count + "] documents after refresh, expected [" + expected + "]");
        }
    }

    /** Points both aliases at {@code version} in one atomic {@code _aliases} call. */
    public void swapAliases(String model, int version) throws IOException {
        String itemsAlias = ModelIndices.itemsAlias(model);
        String usersAlias = ModelIndices.usersAlias(model);
        List<Action> actions = new ArrayList<>();
        for (String alias : List.of(itemsAlias, usersAlias)) {
            for (String current : aliasTargets(alias)) {
                actions.add(Action.of(x -> x.remove(r -> r.index(current).alias(alias))));
            }
        }
        actions.add(Action.of(x -> x.add(ad -> ad.index(ModelIndices.itemsIndex(model, version)).alias(itemsAlias))));
        actions.add(Action.of(x -> x.add(ad -> ad.index(ModelIndices.usersIndex(model, version)).alias(usersAlias))));
        client.indices().updateAliases(u -> u.actions(actions));
    }

    private List<String> aliasTargets(String alias) throws IOException {
        if (client.indices().existsAlias(e -> e.name(alias)).value() == false) {
            return List.of();
        }
        return new ArrayList<>(client.indices().getAlias(g -> g.name(alias)).aliases().keySet());
    }

    /** The live version (the one the items alias points to), or -1. */
    public int liveVersion(String model) throws IOException {
        for (String index : aliasTargets(ModelIndices.itemsAlias(model))) {
            int v = ModelIndices.versionOfItemsIndex(model, index);
            if (v >= 0) {
                return v;
            }
        }
        return -1;
    }

    /** Metadata of every version of a model (without the Gram matrix), newest first. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> versions(String model) throws IOException {
        if (client.indices().exists(e -> e.index(ModelIndices.METADATA_INDEX)).value() == false) {
            return List.of();
        }
        @SuppressWarnings("rawtypes")
        SearchResponse<Map> r = client.search(s -> s.index(ModelIndices.METADATA_INDEX)
            .query(q -> q.term(t -> t.field("model").value(model)))
            .sort(o -> o.field(f -> f.field("version").order(SortOrder.Desc)))
            .size(1000)
            .source(src -> src.filter(f -> f.excludes(ModelMetadata.GRAM_PATH))), Map.class);
        List<Map<String, Object>> out = new ArrayList<>();
        for (@SuppressWarnings("rawtypes") Hit<Map> hit : r.hits().hits()) {
            out.add((Map<String, Object>) hit.source());
        }
        return out;
    }

    /** Makes an older version live again: the given one, or the newest version older than the live one. */
    public int rollback(String model, Integer to) throws IOException {
        int live = liveVersion(model);
        int target = -1;
        for (Map<String, Object> v : versions(model)) {
            int version = ((Number) v.get("version")).intValue();
            if (to != null ? version == to : version < live && version > target) {
                target = version;
            }
        }
        if (target < 0) {
            throw new IllegalArgumentException(to != null ? "model [" + model + "] has no version [" + to + "]"
                : "model [" + model + "] has no version older than the live version [" + live + "]");
        }
        final int t = target;
        if (client.indices().exists(e -> e.index(ModelIndices.itemsIndex(model, t))).value() == false) {
            throw new IllegalArgumentException("model [" + model + "] version [" + t + "] has no items index any more");
        }
        swapAliases(model, target);
        return target;
    }

    /** Deletes one version; refuses the live one. */
    public void deleteVersion(String model, int version) throws IOException {
        if (version == liveVersion(model)) {
            throw new IllegalArgumentException("model [" + model + "] version [" + version + "] is live; roll back first");
        }
        deleteQuietly(model, version);
    }

    private void retain(String model, int keep) throws IOException {
        int live = liveVersion(model);
        List<Map<String, Object>> all = versions(model);
        for (int i = Math.max(1, keep); i < all.size(); i++) {
            int v = ((Number) all.get(i).get("version")).intValue();
            if (v != live) {
                log.step("retention: deleting model [" + model + "] version [" + v + "]");
                deleteQuietly(model, v);
            }
        }
    }

    private void deleteQuietly(String model, int version) throws IOException {
        for (String index : List.of(ModelIndices.itemsIndex(model, version), ModelIndices.usersIndex(model, version))) {
            if (client.indices().exists(e -> e.index(index)).value()) {
                client.indices().delete(d -> d.index(index));
            }
        }
        if (client.indices().exists(e -> e.index(ModelIndices.METADATA_INDEX)).value()) {
            client.delete(d -> d.index(ModelIndices.METADATA_INDEX).id(ModelIndices.metadataId(model, version)).refresh(Refresh.WaitFor));
        }
    }

    private static boolean isZero(float[] v) {
        for (float x : v) {
            if (x != 0f) {
                return false;
            }
        }
        return true;
    }

    static float[] slice(float[] flat, int row, int d) {
        float[] out = new float[d];
        System.arraycopy(flat, row * d, out, 0, d);
        return out;
    }
}
