package dev.mfrecs.trainer.publish;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregationSource;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.transport.BackoffPolicy;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mfrecs.contract.AttributeModelDocument;
import dev.mfrecs.contract.EventTime;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.trainer.es.ReadPlan;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.factorization.AttributeRegression;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives items the live model was not trained on a vector between trainings: items with events after the model's cut-off and no
 * vector yet (or only a provisional one predicted from catalog attributes) are folded in by the plugin
 * ({@code _mf/model/<model>/_items/_fold_in}: the item half-sweep's exact solve against the stored users who touched them) and
 * written into the live items index, with their catalog attributes and {@code vector_source: events}. Vectors of trained items
 * are never changed. Runs under the model's lock, so it never races a publish or a retention.
 */
public final class ItemRefresher {

    /**
     * What a refresh did: items with recent events examined, vectors written from events, items no stored user touched (left
     * without a vector), and catalog items without events given a provisional vector from their attributes.
     */
    public record Refreshed(int candidates, int written, int unsolved, int fromAttributes) {}

    /** Items per call of the plugin's item fold-in API (its maximum). */
    static final int BATCH = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ElasticsearchClient client;
    private final Rest5Client rest;
    private final ProgressLog log;

    public ItemRefresher(ElasticsearchClient client, Rest5Client rest, ProgressLog log) {
        this.client = client;
        this.rest = rest;
        this.log = log;
    }

    public Refreshed refresh(String model, ModelLock lock, int maxItems) throws IOException {
        VersionManager versions = new VersionManager(client, log);
        int live = versions.liveVersion(model);
        if (live < 0) {
            throw new IllegalArgumentException("model [" + model + "] has no live version");
        }
        ModelMetadata metadata = null;
        for (ModelMetadata m : versions.versions(model)) {
            if (m.version() == live) {
                metadata = m;
            }
        }
        if (metadata == null) {
            throw new IllegalStateException("model [" + model + "] version [" + live + "] has no metadata document");
        }
        Long cutoff = metadata.interactions().cutoffMillis();
        if (cutoff == null) {
            throw new IllegalArgumentException("model [" + model + "] was trained on an index without timestamps: no cut-off to refresh "
                + "from");
        }
        List<String> recent = itemsWithEventsSince(metadata, cutoff, maxItems);
        List<String> candidates = withoutEventVector(metadata, recent);
        log.step("model [" + model + "] v" + live + ": " + recent.size() + " items with events since the cut-off, " + candidates.size()
            + " without a vector from events");
        int written = 0;
        int unsolved = 0;
        for (int start = 0; start < candidates.size(); start += BATCH) {
            List<String> batch = candidates.subList(start, Math.min(candidates.size(), start + BATCH));
            Map<String, JsonNode> solved = foldIn(model, batch);
            Map<String, Map<String, Object>> attributes = metadata.catalog() == null ? Map.of() : CatalogReader.read(client,
                metadata.catalog(), batch);
            lock.fence();
            try (BulkIngester<Void> bulk = BulkIngester.of(b -> b.client(client).maxOperations(BATCH).backoffPolicy(
                BackoffPolicy.exponentialBackoff(200L, 8)))) {
                for (String item : batch) {
                    JsonNode s = solved.get(item);
                    if (s == null || s.path("vector").isNull() || s.path("vector").isMissingNode()) {
                        unsolved++;
                        continue;
                    }
                    float[] v = new float[s.path("vector").size()];
                    boolean zero = true;
                    for (int j = 0; j < v.length; j++) {
                        v[j] = (float) s.path("vector").path(j).asDouble();
                        zero &= v[j] == 0f;
                    }
                    Map<String, Object> doc = new LinkedHashMap<>(attributes.getOrDefault(item, Map.of()));
                    doc.put(ModelIndices.ITEM_ID, item);
                    doc.put(ModelIndices.VECTOR, v);
                    if (zero == false) {
                        doc.put(ModelIndices.VECTOR_COSINE, v);
                    }
                    doc.put(ModelIndices.POPULARITY, (float) s.path("users").asInt());
                    doc.put(ModelIndices.VECTOR_SOURCE, "events");
                    doc.put(ModelIndices.MODEL, model);
                    doc.put(ModelIndices.MODEL_VERSION, live);
                    String index = metadata.itemsIndex();
                    bulk.add(op -> op.index(i -> i.index(index).id(item).document(doc)));
                    written++;
                }
            }
        }
        if (written > 0) {
            String index = metadata.itemsIndex();
            client.indices().refresh(r -> r.index(index));
        }
        int fromAttributes = fromAttributes(metadata, recent, lock, maxItems);
        log.step("model [" + model + "]: wrote " + written + " item vectors from events, " + fromAttributes + " from catalog attributes; "
            + unsolved + " items without stored users");
        return new Refreshed(candidates.size(), written, unsolved, fromAttributes);
    }

    /**
     * Catalog items the live index lacks and that have no recent events get a provisional vector from the model's attribute
     * regression ({@code vector_source: attributes}); once they have events, a later refresh replaces it.
     */
    @SuppressWarnings({ "rawtypes", "unchecked" })
    private int fromAttributes(ModelMetadata metadata, List<String> withEvents, ModelLock lock, int maxItems) throws IOException {
        if (metadata.catalog() == null) {
            return 0;
        }
        String id = AttributeModelDocument.id(metadata.model(), metadata.version());
        GetResponse<Map> doc = client.get(g -> g.index(ModelIndices.METADATA_INDEX).id(id), Map.class);
        if (doc.found() == false) {
            return 0;
        }
        AttributeModelDocument stored = AttributeModelDocument.fromMap(id, doc.source());
        if (stored.hashDims() != AttributeRegression.DIMS) {
            throw new IllegalStateException("the attribute regression of [" + id + "] hashes into [" + stored.hashDims() + "] dims, this "
                + "trainer into [" + AttributeRegression.DIMS + "]; retrain the model");
        }
        AttributeRegression regression = new AttributeRegression(stored.factors(), stored.weights(), stored.numeric(), stored.norm());
        Set<String> skip = new HashSet<>(withEvents);
        List<String> missing = new ArrayList<>();
        for (String item : catalogIds(metadata.catalog().index(), maxItems * 10)) {
            if (skip.contains(item) == false) {
                missing.add(item);
            }
        }
        missing = absentFromItems(metadata, missing);
        if (missing.size() > maxItems) {
            missing = missing.subList(0, maxItems);
        }
        Map<String, Map<String, Object>> attributes = CatalogReader.read(client, metadata.catalog(), missing);
        int written = 0;
        lock.fence();
        String index = metadata.itemsIndex();
        try (BulkIngester<Void> bulk = BulkIngester.of(b -> b.client(client).maxOperations(BATCH).backoffPolicy(
            BackoffPolicy.exponentialBackoff(200L, 8)))) {
            for (String item : missing) {
                Map<String, Object> attrs = attributes.get(item);
                if (attrs == null || attrs.isEmpty()) {
                    continue;
                }
                float[] v = regression.predict(attrs);
                Map<String, Object> d = new LinkedHashMap<>(attrs);
                d.put(ModelIndices.ITEM_ID, item);
                d.put(ModelIndices.VECTOR, v);
                d.put(ModelIndices.VECTOR_COSINE, v);
                d.put(ModelIndices.POPULARITY, 0f);
                d.put(ModelIndices.VECTOR_SOURCE, "attributes");
                d.put(ModelIndices.MODEL, metadata.model());
                d.put(ModelIndices.MODEL_VERSION, metadata.version());
                bulk.add(op -> op.index(i -> i.index(index).id(item).document(d)));
                written++;
            }
        }
        if (written > 0) {
            client.indices().refresh(r -> r.index(index));
        }
        return written;
    }

    /** Up to {@code max} document ids of the catalog, read with a point-in-time scan without sources. */
    private List<String> catalogIds(String catalog, int max) throws IOException {
        List<String> ids = new ArrayList<>();
        String pit = client.openPointInTime(p -> p.index(catalog).keepAlive(k -> k.time("2m"))).id();
        try {
            List<FieldValue> after = null;
            while (ids.size() < max) {
                final List<FieldValue> searchAfter = after;
                var page = client.search(s -> {
                    s.pit(p -> p.id(pit).keepAlive(k -> k.time("2m"))).size(5_000).source(src -> src.fetch(false))
                        .sort(o -> o.field(f -> f.field("_shard_doc").order(SortOrder.Asc)));
                    if (searchAfter != null) {
                        s.searchAfter(searchAfter);
                    }
                    return s;
                }, Void.class);
                if (page.hits().hits().isEmpty()) {
                    break;
                }
                page.hits().hits().forEach(h -> ids.add(h.id()));
                after = page.hits().hits().get(page.hits().hits().size() - 1).sort();
            }
        } finally {
            client.closePointInTime(c -> c.id(pit));
        }
        return ids;
    }

    /** The ids of {@code items} the live items index does not hold. */
    @SuppressWarnings("rawtypes")
    private List<String> absentFromItems(ModelMetadata metadata, List<String> items) throws IOException {
        List<String> out = new ArrayList<>();
        for (int start = 0; start < items.size(); start += 1_000) {
            List<String> batch = items.subList(start, Math.min(items.size(), start + 1_000));
            MgetResponse<Map> r = client.mget(m -> m.index(metadata.itemsIndex()).ids(batch).source(src -> src.fetch(false)), Map.class);
            for (var doc : r.docs()) {
                if (doc.isResult() && doc.result().found() == false) {
                    out.add(doc.result().id());
                }
            }
        }
        return out;
    }

    /** Items with an event at or after {@code cutoff} matching the recipe, through a composite aggregation (paged). */
    private List<String> itemsWithEventsSince(ModelMetadata metadata, long cutoff, int maxItems) throws IOException {
        InteractionFields f = metadata.interactions().fields();
        Query recipe = ReadPlan.query(metadata.interactions().withCutoff(null));
        Query since = Query.of(q -> q.range(r -> r.date(d -> d.field(f.timestampField()).gte(Long.toString(cutoff)).format(
            EventTime.DOCVALUE_FORMAT))));
        Query query = Query.of(q -> q.bool(b -> b.filter(recipe, since)));
        List<String> items = new ArrayList<>();
        Map<String, FieldValue> after = null;
        while (items.size() < maxItems) {
            final Map<String, FieldValue> afterKey = after;
            var r = client.search(s -> s.index(f.index()).size(0).query(query).aggregations("items", a -> a.composite(c -> {
                c.size(1_000).sources(List.of(Map.of("item",
                    CompositeAggregationSource.of(src -> src.terms(t -> t.field(f.itemField()))))));
                if (afterKey != null) {
                    c.after(afterKey);
                }
                return c;
            })), Void.class);
            CompositeAggregate agg = r.aggregations().get("items").composite();
            for (CompositeBucket bucket : agg.buckets().array()) {
                items.add(bucket.key().get("item").stringValue());
            }
            if (agg.afterKey() == null || agg.afterKey().isEmpty() || agg.buckets().array().isEmpty()) {
                break;
            }
            after = agg.afterKey();
        }
        return items.size() > maxItems ? items.subList(0, maxItems) : items;
    }

    /** The items of {@code items} that have no vector in the live index, or only one predicted from attributes. */
    @SuppressWarnings({ "rawtypes", "unchecked" })
    private List<String> withoutEventVector(ModelMetadata metadata, List<String> items) throws IOException {
        List<String> out = new ArrayList<>();
        for (int start = 0; start < items.size(); start += 1_000) {
            List<String> batch = items.subList(start, Math.min(items.size(), start + 1_000));
            MgetResponse<Map> r = client.mget(m -> m.index(metadata.itemsIndex()).ids(batch).sourceIncludes(ModelIndices.VECTOR_SOURCE),
                Map.class);
            for (var doc : r.docs()) {
                boolean has = doc.isResult() && doc.result().found();
                Object source = has && doc.result().source() != null ? ((Map<String, Object>) doc.result().source()).get(
                    ModelIndices.VECTOR_SOURCE) : null;
                if (has == false || "attributes".equals(source)) {
                    out.add(doc.isResult() ? doc.result().id() : doc.failure().id());
                }
            }
        }
        return out;
    }

    /** Calls the plugin's item fold-in for one batch; item id to its answer. */
    private Map<String, JsonNode> foldIn(String model, List<String> items) throws IOException {
        Request request = new Request("POST", "/_mf/model/" + model + "/_items/_fold_in");
        request.setJsonEntity(JSON.writeValueAsString(Map.of("items", items)));
        Response response = rest.performRequest(request);
        JsonNode body;
        try (InputStream in = response.getEntity().getContent()) {
            body = JSON.readTree(in);
        }
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode item : body.path("items")) {
            out.put(item.path("item").asText(), item);
        }
        return out;
    }
}
