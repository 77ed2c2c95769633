package dev.mfrecs.trainer.publish;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._helpers.bulk.BulkIngester;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregate;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeAggregationSource;
import co.elastic.clients.elasticsearch._types.aggregations.CompositeBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.transport.BackoffPolicy;
import co.elastic.clients.transport.rest5_client.low_level.Request;
import co.elastic.clients.transport.rest5_client.low_level.Response;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mfrecs.contract.EventTime;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.trainer.es.ReadPlan;
import dev.mfrecs.trainer.log.ProgressLog;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gives items the live model was not trained on a vector between trainings: items with events after the model's cut-off and no
 * vector yet (or only a provisional one predicted from catalog attributes) are folded in by the plugin
 * ({@code _mf/model/<model>/_items/_fold_in}: the item half-sweep's exact solve against the stored users who touched them) and
 * written into the live items index, with their catalog attributes and {@code vector_source: events}. Vectors of trained items
 * are never changed. Runs under the model's lock, so it never races a publish or a retention.
 */
public final class ItemRefresher {

    /** What a refresh did: items examined, vectors written, and items no stored user touched (left without a vector). */
    public record Refreshed(int candidates, int written, int unsolved) {}

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
            throw new IllegalArgumentException("model [" + model + "] was trained on an index without timestamps: no cut-off to refresh from");
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
            Map<String, Map<String, Object>> attributes = catalogAttributes(metadata, batch);
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
        log.step("model [" + model + "]: wrote " + written + " item vectors from events, " + unsolved + " items without stored users");
        return new Refreshed(candidates.size(), written, unsolved);
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
                c.size(1_000).sources(List.of(Map.of("item", CompositeAggregationSource.of(src -> src.terms(t -> t.field(f.itemField()))))));
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

    @SuppressWarnings({ "rawtypes", "unchecked" })
    private Map<String, Map<String, Object>> catalogAttributes(ModelMetadata metadata, List<String> items) throws IOException {
        if (metadata.catalog() == null) {
            return Map.of();
        }
        MgetResponse<Map> response = client.mget(m -> m.index(metadata.catalog().index()).ids(items), Map.class);
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (var doc : response.docs()) {
            if (doc.isResult() && doc.result().found() && doc.result().source() != null) {
                Map<String, Object> src = new LinkedHashMap<>((Map<String, Object>) doc.result().source());
                if (metadata.catalog().fields().isEmpty() == false) {
                    src.keySet().retainAll(metadata.catalog().fields());
                }
                out.put(doc.result().id(), src);
            }
        }
        return out;
    }
}
