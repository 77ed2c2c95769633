package dev.mfrecs.trainer.publish;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkListener;
import co.elastic.clients.elasticsearch._types.HealthStatus;
import co.elastic.clients.elasticsearch._types.OpType;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.tasks.GetTasksResponse;
import co.elastic.clients.transport.BackoffPolicy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mfrecs.contract.AttributeModelDocument;
import dev.mfrecs.contract.CatalogSource;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.contract.VectorIndexOptions;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.trainer.FailurePoints;
import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.es.JsonDocument;
import dev.mfrecs.trainer.log.ProgressLog;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one model version, invisible until the alias swap: the versioned item and user indices with explicit
 * {@code dense_vector} mappings, loaded through the official client's {@link BulkIngester} (byte-bounded batches, a few
 * concurrent requests, backoff on 429) with refreshes off and no replicas while loading; then the index settings restored and
 * the indices green, refreshed and counted; then, after a fencing check, the metadata document, created once. A document a
 * catalog field makes unmappable (its type conflicts with the index) is written again without the catalog fields and counted,
 * so one bad catalog entry does not block every publish; any other failed document fails the write.
 */
public final class VersionWriter {

    /** A user's training history stored with their vector is capped: it serves exclude-seen and explanations. */
    public static final int MAX_SEEN_ITEMS = 500;
    static final int CATALOG_BATCH = 1_000;
    static final long MAX_BULK_BYTES = 8L * 1024 * 1024;
    static final int MAX_BULK_OPERATIONS = 2_000;
    static final int CONCURRENT_BULKS = 2;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Called after every bulk request of a write; tests use it to fail a publish half-way, as a killed trainer would. */
    public interface BulkHook {
        void afterBulk(String index, long documentsWritten) throws IOException;

        BulkHook NONE = (index, written) -> {};
    }

    /** What a write did beyond the documents: catalog attributes dropped, and seconds spent. */
    public record Written(long catalogSkipped, double seconds) {}

    private final ElasticsearchClient client;
    private final ProgressLog log;
    private final BulkHook hook;
    private final boolean forceMerge;
    /** The item vectors' kNN index, or null for {@code item-vectors.json}'s. */
    private final VectorIndexOptions indexOptions;
    /** Bulk requests of this writer answered so far: where the test-only {@link FailurePoints#BULK} pause applies. */
    private final AtomicLong bulksAnswered = new AtomicLong();

    public VersionWriter(ElasticsearchClient client, ProgressLog log, BulkHook hook, boolean forceMerge) {
        this(client, log, hook, forceMerge, null);
    }

    /** With the item vectors indexed with {@code indexOptions} (null: the template's). */
    public VersionWriter(ElasticsearchClient client, ProgressLog log, BulkHook hook, boolean forceMerge, VectorIndexOptions indexOptions) {
        this.client = client;
        this.log = log;
        this.hook = hook;
        this.forceMerge = forceMerge;
        this.indexOptions = indexOptions;
    }

    /**
     * Writes version {@code metadata.version()} of the artifacts' model, with its catalog-attribute regression when there is one
     * (null: none); fails without cleaning up (the caller decides). The metadata document, which makes the version a version
     * (listed, kept by the next run's orphan clean-up, a rollback target), is written only right after a successful
     * {@link ModelLock#fence()}: a trainer that lost its lock while it was loading (frozen past its lease, taken over) stops there,
     * and what it wrote stays an orphan the lock's new holder removes.
     */
    public Written write(ModelArtifacts a, ModelMetadata metadata, CatalogSource catalog, AttributeModelDocument attributes, ModelLock lock)
        throws IOException {
        long start = System.nanoTime();
        String items = metadata.itemsIndex();
        String users = metadata.usersIndex();
        createVectorIndex(items, "item-vectors.json", a.vectorDims(), indexOptions);
        createVectorIndex(users, "user-vectors.json", a.vectorDims(), null);
        FailurePoints.reached(FailurePoints.CREATED);
        long skipped = writeItems(a, metadata.version(), items, catalog);
        writeUsers(a, metadata.version(), users);
        finishLoading(items, "item-vectors.json");
        finishLoading(users, "user-vectors.json");
        verifyCount(items, a.itemIds().size());
        verifyCount(users, a.userIds().size());
        if (forceMerge) {
            forceMergeToOneSegment(items, users);
        }
        lock.fence();
        client.index(i -> i.index(ModelIndices.METADATA_INDEX).id(metadata.documentId()).document(JsonDocument.of(metadata.toMap()))
            .refresh(Refresh.WaitFor)
            .opType(OpType.Create));
        if (attributes != null) {
            client.index(i -> i.index(ModelIndices.METADATA_INDEX).id(AttributeModelDocument.id(attributes.model(), attributes.version()))
                .document(JsonDocument.of(attributes.toMap())).refresh(Refresh.WaitFor));
        }
        FailurePoints.reached(FailurePoints.METADATA);
        double seconds = (System.nanoTime() - start) / 1e9;
        log.step(String.format(Locale.ROOT, "wrote version [%d] in %.1fs", metadata.version(), seconds));
        return new Written(skipped, seconds);
    }

    /**
     * Creates a vector index from its template, with the vectors' dims and, unless null, {@code options} as the indexed vector
     * fields' {@code index_options}; refreshes off and no replicas while it loads.
     */
    private void createVectorIndex(String index, String template, int dims, VectorIndexOptions options) throws IOException {
        ObjectNode body = (ObjectNode) JSON.readTree(ModelIndices.template(template));
        for (String field : List.of(ModelIndices.VECTOR, ModelIndices.VECTOR_COSINE)) {
            if (body.path("mappings").path("properties").has(field)) {
                ObjectNode mapping = (ObjectNode) body.path("mappings").path("properties").path(field);
                mapping.put("dims", dims);
                if (options != null && mapping.has("index_options")) {
                    mapping.set("index_options", JSON.valueToTree(options.toMapping()));
                }
            }
        }
        ObjectNode settings = (ObjectNode) body.path("settings").path("index");
        settings.put("refresh_interval", "-1");
        settings.put("auto_expand_replicas", "false");
        settings.put("number_of_replicas", 0);
        String json = JSON.writeValueAsString(body);
        client.indices().create(c -> c.index(index).withJson(new StringReader(json)).masterTimeout(t -> t.time(EsConnection.MASTER_TIMEOUT))
            .timeout(t -> t.time(EsConnection.MASTER_TIMEOUT)));
    }

    /** Restores the template's replica and refresh settings, waits for green, refreshes. */
    private void finishLoading(String index, String template) throws IOException {
        ObjectNode settings = (ObjectNode) JSON.readTree(ModelIndices.template(template)).path("settings").path("index");
        String replicas = settings.path("auto_expand_replicas").asText("0-1");
        client.indices().putSettings(p -> p.index(index).settings(s -> s.refreshInterval(r -> r.time("1s"))
            .autoExpandReplicas(replicas)).masterTimeout(t -> t.time(EsConnection.MASTER_TIMEOUT)));
        var health = client.cluster().health(h -> h.index(index).waitForStatus(HealthStatus.Green).timeout(t -> t.time("5m")));
        if (health.timedOut()) {
            throw new IOException("index [" + index + "] did not turn green within 5m (status " + health.status() + "); not publishing");
        }
        client.indices().refresh(r -> r.index(index));
    }

    private long writeItems(ModelArtifacts a, int version, String index, CatalogSource catalog) throws IOException {
        int d = a.vectorDims();
        List<String> ids = a.itemIds();
        Queue<Map<String, Object>> withoutCatalog = new ConcurrentLinkedQueue<>();
        try (Load load = new Load(index, withoutCatalog)) {
            for (int start = 0; start < ids.size(); start += CATALOG_BATCH) {
                List<String> batch = ids.subList(start, Math.min(ids.size(), start + CATALOG_BATCH));
                Map<String, Map<String, Object>> attributes = catalog == null ? Map.of() : CatalogReader.read(client, catalog, batch);
                for (int j = 0; j < batch.size(); j++) {
                    int i = start + j;
                    Map<String, Object> own = new LinkedHashMap<>();
                    own.put(ModelIndices.ITEM_ID, batch.get(j));
                    float[] v = Arrays.copyOfRange(a.itemVectors(), i * d, (i + 1) * d);
                    own.put(ModelIndices.VECTOR, v);
                    if (isZero(v) == false) {
                        // Cosine is undefined for a zero vector (an item nobody interacted with after filtering).
                        own.put(ModelIndices.VECTOR_COSINE, v);
                    }
                    own.put(ModelIndices.POPULARITY, a.itemPopularity()[i]);
                    own.put(ModelIndices.VECTOR_SOURCE, "training");
                    if (a.itemBias() != null) {
                        own.put(ModelIndices.BIAS, a.itemBias()[i]);
                    }
                    own.put(ModelIndices.MODEL, a.model());
                    own.put(ModelIndices.MODEL_VERSION, version);
                    Map<String, Object> doc = new LinkedHashMap<>(attributes.getOrDefault(batch.get(j), Map.of()));
                    doc.putAll(own);
                    load.add(batch.get(j), doc, doc.size() > own.size() ? own : null);
                }
            }
        }
        long skipped = withoutCatalog.size();
        if (skipped > 0) {
            // Items whose catalog fields could not be mapped: written again with the model's own fields only.
            log.step("writing " + skipped + " items without their catalog fields (a field's type conflicts with [" + index + "])");
            try (Load retry = new Load(index, null)) {
                for (Map<String, Object> doc : withoutCatalog) {
                    retry.add(doc.get(ModelIndices.ITEM_ID).toString(), doc, null);
                }
            }
        }
        log.step("wrote " + ids.size() + " item vectors");
        return skipped;
    }

    private void writeUsers(ModelArtifacts a, int version, String index) throws IOException {
        int d = a.vectorDims();
        CsrMatrix m = a.userItems();
        try (Load load = new Load(index, null)) {
            for (int u = 0; u < a.userIds().size(); u++) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put(ModelIndices.USER_ID, a.userIds().get(u));
                doc.put(ModelIndices.VECTOR, Arrays.copyOfRange(a.userVectors(), u * d, (u + 1) * d));
                List<String> seen = new ArrayList<>();
                List<Float> values = new ArrayList<>();
                if (m != null && u < m.rows()) {
                    int from = m.indptr()[u];
                    int to = m.indptr()[u + 1];
                    Integer[] order = new Integer[to - from];
                    for (int j = 0; j < order.length; j++) {
                        order[j] = from + j;
                    }
                    Arrays.sort(order, (x, y) -> Float.compare(m.values()[y], m.values()[x]));
                    for (int j = 0; j < Math.min(order.length, MAX_SEEN_ITEMS); j++) {
                        seen.add(a.itemIds().get(m.indices()[order[j]]));
                        values.add(m.values()[order[j]]);
                    }
                }
                doc.put(ModelIndices.SEEN_ITEMS, seen);
                doc.put(ModelIndices.SEEN_VALUES, values);
                doc.put(ModelIndices.SEEN_COUNT, m == null || u >= m.rows() ? 0 : m.indptr()[u + 1] - m.indptr()[u]);
                if (a.userBias() != null) {
                    doc.put(ModelIndices.BIAS, a.userBias()[u]);
                }
                doc.put(ModelIndices.MODEL, a.model());
                doc.put(ModelIndices.MODEL_VERSION, version);
                load.add(a.userIds().get(u), doc, null);
            }
        }
        log.step("wrote " + a.userIds().size() + " user vectors");
    }

    /**
     * One index's load through a {@link BulkIngester}: collects failures from its listener (which runs on the client's threads)
     * and reports the first one when closed. A document with a fallback whose failure is a mapping conflict is queued for a
     * second write instead.
     */
    private final class Load implements AutoCloseable {
        private final String index;
        private final Queue<Map<String, Object>> fallbacks;
        private final BulkIngester<Map<String, Object>> ingester;
        private final AtomicLong written = new AtomicLong();
        private final Queue<String> failures = new ConcurrentLinkedQueue<>();
        private final Queue<IOException> hookFailures = new ConcurrentLinkedQueue<>();

        Load(String index, Queue<Map<String, Object>> fallbacks) {
            this.index = index;
            this.fallbacks = fallbacks;
            this.ingester = BulkIngester.of(b -> b.client(client)
                .maxOperations(MAX_BULK_OPERATIONS)
                .maxSize(MAX_BULK_BYTES)
                .maxConcurrentRequests(CONCURRENT_BULKS)
                .backoffPolicy(BackoffPolicy.exponentialBackoff(200L, 8))
                .listener(new BulkListener<>() {
                    @Override
                    public void beforeBulk(long id, BulkRequest request, List<Map<String, Object>> contexts) {}

                    @Override
                    public void afterBulk(long id, BulkRequest request, List<Map<String, Object>> contexts, BulkResponse response) {
                        List<BulkResponseItem> items = response.items();
                        for (int i = 0; i < items.size(); i++) {
                            BulkResponseItem item = items.get(i);
                            if (item.error() == null) {
                                written.incrementAndGet();
                            } else if (contexts.get(i) != null && fallbacks != null && mappingConflict(item.error().type())) {
                                fallbacks.add(contexts.get(i));
                            } else {
                                failures.add("id [" + item.id() + "]: " + item.error().type() + ": " + item.error().reason());
                            }
                        }
                        bulksAnswered.incrementAndGet();
                        try {
                            hook.afterBulk(index, written.get());
                        } catch (IOException e) {
                            hookFailures.add(e);
                        }
                    }

                    @Override
                    public void afterBulk(long id, BulkRequest request, List<Map<String, Object>> contexts, Throwable failure) {
                        failures.add("bulk request failed: " + failure);
                    }
                }));
        }

        void add(String id, Map<String, Object> doc, Map<String, Object> fallback) throws IOException {
            if (bulksAnswered.get() > 0) {
                FailurePoints.reached(FailurePoints.BULK);
            }
            if (hookFailures.isEmpty() == false) {
                throw hookFailures.peek();
            }
            if (failures.isEmpty() == false) {
                throw new IOException("bulk indexing into [" + index + "] failed for " + failures.peek());
            }
            ingester.add(op -> op.index(i -> i.index(index).id(id).document(doc)), fallback);
        }

        @Override
        public void close() throws IOException {
            ingester.close();
            if (hookFailures.isEmpty() == false) {
                throw hookFailures.peek();
            }
            if (failures.isEmpty() == false) {
                throw new IOException("bulk indexing into [" + index + "] failed for " + failures.size() + " documents, first: "
                    + failures.peek());
            }
        }
    }

    /** Failure types of a document whose field does not fit the index's mapping (a catalog field of another type). */
    static boolean mappingConflict(String type) {
        return "document_parsing_exception".equals(type) || "mapper_parsing_exception".equals(type) || "illegal_argument_exception".equals(
            type);
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
                TimeUnit.MILLISECONDS.sleep(500);
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

    private static boolean isZero(float[] v) {
        for (float x : v) {
            if (x != 0f) {
                return false;
            }
        }
        return true;
    }
}
