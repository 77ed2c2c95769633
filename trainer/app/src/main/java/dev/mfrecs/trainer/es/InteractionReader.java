package dev.mfrecs.trainer.es;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.ShardStatistics;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;

import dev.mfrecs.contract.EventTime;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.trainer.FailurePoints;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.log.ProgressLog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Streams the events a {@link ReadPlan} selects into an {@link InteractionMatrix} with a point-in-time and
 * {@code search_after} on {@code _shard_doc}: bounded memory per page, no deep paging, and a consistent view while the
 * index keeps receiving events. Each event is weighted by the plan's recipe; its time comes as an epoch-millisecond doc value,
 * whatever the field's date format.
 * <p>
 * A page with a failed shard fails the run (training on part of the data would publish a partial model); a page refused
 * with 429 or a 5xx is retried with backoff first. Events whose user or item id is empty or longer than Elasticsearch's id
 * limit are skipped and counted, since they could never be published.
 */
public final class InteractionReader {

    static final int PAGE_SIZE = 5_000;
    static final int MAX_ATTEMPTS = 6;
    /** Elasticsearch's limit on a document id, which user and item ids become. */
    static final int MAX_ID_BYTES = 512;

    private final ElasticsearchClient client;
    private final ReadPlan plan;
    private long invalid;

    public InteractionReader(ElasticsearchClient client, ReadPlan plan) {
        this.client = client;
        this.plan = plan;
    }

    /** Events skipped because an id was empty or too long, in the last read. */
    public long invalidEvents() {
        return invalid;
    }

    /** Reads every event of the plan into {@code acc}. */
    public void read(InteractionMatrix.Accumulator acc, ProgressLog log) throws IOException {
        InteractionRecipe recipe = plan.recipe();
        InteractionFields fields = recipe.fields();
        List<String> source = new ArrayList<>(List.of(fields.userField(), fields.itemField(), fields.eventField()));
        if (fields.valueField() != null) {
            source.add(fields.valueField());
        }
        boolean times = recipe.fields().timestampField() != null && (recipe.decayReferenceMillis() != null || acc.keepsTimes());
        String pit = client.openPointInTime(p -> p.index(fields.index()).keepAlive(k -> k.time("5m"))).id();
        try {
            List<FieldValue> after = null;
            long pages = 0;
            while (true) {
                final List<FieldValue> searchAfter = after;
                final String pitId = pit;
                @SuppressWarnings("rawtypes")
                SearchResponse<Map> page = withRetries(() -> client.search(s -> {
                    s.pit(p -> p.id(pitId).keepAlive(k -> k.time("5m")))
                        .query(plan.query())
                        .size(PAGE_SIZE)
                        .allowPartialSearchResults(false)
                        .trackTotalHits(t -> t.enabled(false))
                        .sort(o -> o.field(f -> f.field("_shard_doc").order(SortOrder.Asc)))
                        .source(src -> src.filter(f -> f.includes(source)));
                    if (times) {
                        s.docvalueFields(f -> f.field(fields.timestampField()).format(EventTime.DOCVALUE_FORMAT));
                    }
                    if (searchAfter != null) {
                        s.searchAfter(searchAfter);
                    }
                    return s;
                }, Map.class), "reading [" + fields.index() + "]");
                requireAllShards(page.shards(), fields.index());
                if (page.pitId() != null) {
                    pit = page.pitId();
                }
                @SuppressWarnings("rawtypes")
                List<Hit<Map>> hits = page.hits().hits();
                if (hits.isEmpty()) {
                    break;
                }
                for (@SuppressWarnings("rawtypes") Hit<Map> hit : hits) {
                    add(acc, recipe, hit, times);
                }
                after = hits.get(hits.size() - 1).sort();
                FailurePoints.reached(FailurePoints.READ);
                if (++pages % 20 == 0) {
                    log.step("read " + acc.events() + " events from [" + fields.index() + "]");
                }
            }
        } finally {
            final String pitId = pit;
            client.closePointInTime(c -> c.id(pitId));
        }
        log.step("read " + acc.events() + " weighted events from [" + fields.index() + "]" + (invalid > 0 ? ", skipped " + invalid
            + " with an empty or over-long id" : ""));
    }

    private void add(InteractionMatrix.Accumulator acc, InteractionRecipe recipe, @SuppressWarnings("rawtypes") Hit<Map> hit,
                     boolean times) {
        InteractionFields fields = recipe.fields();
        Map<?, ?> doc = hit.source();
        Object user = doc == null ? null : doc.get(fields.userField());
        Object item = doc == null ? null : doc.get(fields.itemField());
        if (user == null || item == null) {
            return;
        }
        String u = user.toString();
        String i = item.toString();
        if (validId(u) == false || validId(i) == false) {
            invalid++;
            return;
        }
        Object event = doc.get(fields.eventField());
        Object value = fields.valueField() == null ? null : doc.get(fields.valueField());
        Long time = times ? timeOf(hit, fields.timestampField()) : null;
        float w = recipe.weight(event == null ? null : event.toString(), value instanceof Number n ? n : null, time);
        if (w != 0f) {
            if (acc.keepsTimes()) {
                acc.add(u, i, w, time == null ? 0L : time);
            } else {
                acc.add(u, i, w);
            }
        }
    }

    /** Whether an id can become a document id: not empty and within Elasticsearch's byte limit. */
    public static boolean validId(String id) {
        return id.isEmpty() == false && (id.length() * 3 <= MAX_ID_BYTES || id.getBytes(StandardCharsets.UTF_8).length <= MAX_ID_BYTES);
    }

    /** The event time of a hit, read as a doc value in {@link EventTime#DOCVALUE_FORMAT}; null when the event has none. */
    public static Long timeOf(Hit<?> hit, String field) {
        JsonData values = hit.fields().get(field);
        if (values == null) {
            return null;
        }
        List<?> list = values.to(List.class);
        return list.isEmpty() ? null : EventTime.millis(list.get(0));
    }

    /** Fails when any shard failed: a partial read must not train a model. */
    public static void requireAllShards(ShardStatistics shards, String index) {
        if (shards != null && shards.failed().intValue() > 0) {
            String reason = shards.failures().isEmpty() ? "unknown" : shards.failures().get(0).reason().reason();
            throw new IllegalStateException("reading [" + index + "]: [" + shards.failed() + "] of [" + shards.total()
                + "] shards failed (" + reason + "); refusing to train on part of the data");
        }
    }

    /** A call that may be refused (429) or fail on the server side (5xx). */
    @FunctionalInterface
    public interface Call<T> {
        T call() throws IOException;
    }

    /** Runs {@code call}, retrying with exponential backoff on 429 and 5xx answers; other failures are thrown at once. */
    public static <T> T withRetries(Call<T> call, String what) throws IOException {
        long backoff = 250;
        for (int attempt = 1; ; attempt++) {
            try {
                return call.call();
            } catch (ElasticsearchException e) {
                if ((e.status() == 429 || e.status() >= 500) == false || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while " + what, e);
            }
            backoff = Math.min(backoff * 2, 8_000);
        }
    }
}
