package dev.mfrecs.spark;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;

import dev.mfrecs.contract.EventTime;
import dev.mfrecs.contract.EventWeights;
import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.trainer.es.InteractionReader;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.io.IOException;
import java.io.Serializable;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one slice of a sliced point-in-time search inside a Spark executor: {@code slice: {id, max}} on a PIT opened by
 * the driver, {@code search_after} on {@code _shard_doc} within the slice, the same source fields, the same
 * {@link EventWeights} weighting and the same decay (from the plan's reference time, event times read as epoch-millisecond doc
 * values) as the single-machine {@code InteractionReader}; failed shards fail the read and refused pages are retried the same
 * way. Events of a (user, item) pair are summed inside the slice before anything is shuffled. A record of plain values,
 * because it is serialized to the executors.
 */
public record SliceReader(
    EsConnectionSpec connection,
    String index,
    String userField,
    String itemField,
    String eventField,
    String valueField,
    String timestampField,
    HashMap<String, Float> weights,
    double halfLifeDays,
    Long decayReferenceMillis,
    String queryJson,
    String pitId,
    int slices,
    int pageSize,
    String keepAlive
) implements Serializable {

    /** What one slice produced: summed pairs, the number of events with a non-zero weight, and events skipped for a bad id. */
    public record SliceResult(List<Row> pairs, long events, long invalid) {}

    public static SliceReader of(EsConnectionSpec connection, InteractionRecipe recipe, String queryJson, String pitId, int slices,
                                 int pageSize, String keepAlive) {
        var f = recipe.fields();
        return new SliceReader(connection, f.index(), f.userField(), f.itemField(), f.eventField(), f.valueField(), f.timestampField(),
            new HashMap<>(f.weights()), f.halfLifeDays(), recipe.decayReferenceMillis(), queryJson, pitId, slices, pageSize, keepAlive);
    }

    EventWeights eventWeights() {
        return new EventWeights(weights, valueField != null, halfLifeDays);
    }

    /** Reads slice {@code slice} of {@link #slices()} to the end; rows are (user, item, summed weight). */
    public SliceResult read(int slice) throws IOException {
        EventWeights w = eventWeights();
        boolean decay = decayReferenceMillis != null;
        Query query = Query.of(q -> q.withJson(new StringReader(queryJson)));
        List<String> source = new ArrayList<>(List.of(userField, itemField, eventField));
        if (valueField != null) {
            source.add(valueField);
        }
        Map<Pair, float[]> sums = new HashMap<>();
        long events = 0;
        long invalid = 0;
        try (ElasticsearchClient client = connection.toConnection().client()) {
            List<FieldValue> after = null;
            while (true) {
                final List<FieldValue> searchAfter = after;
                @SuppressWarnings("rawtypes")
                SearchResponse<Map> page = InteractionReader.withRetries(() -> client.search(s -> {
                    s.pit(p -> p.id(pitId).keepAlive(k -> k.time(keepAlive)))
                        .query(query)
                        .size(pageSize)
                        .allowPartialSearchResults(false)
                        .trackTotalHits(t -> t.enabled(false))
                        .sort(o -> o.field(f -> f.field("_shard_doc").order(SortOrder.Asc)))
                        .source(src -> src.filter(f -> f.includes(source)));
                    if (decay) {
                        s.docvalueFields(f -> f.field(timestampField).format(EventTime.DOCVALUE_FORMAT));
                    }
                    if (slices > 1) {
                        s.slice(sl -> sl.id(Integer.toString(slice)).max(slices));
                    }
                    if (searchAfter != null) {
                        s.searchAfter(searchAfter);
                    }
                    return s;
                }, Map.class), "reading slice [" + slice + "] of [" + index + "]");
                InteractionReader.requireAllShards(page.shards(), index);
                @SuppressWarnings("rawtypes")
                List<Hit<Map>> hits = page.hits().hits();
                if (hits.isEmpty()) {
                    break;
                }
                for (@SuppressWarnings("rawtypes") Hit<Map> hit : hits) {
                    Map<?, ?> doc = hit.source();
                    Object user = doc == null ? null : doc.get(userField);
                    Object item = doc == null ? null : doc.get(itemField);
                    if (user == null || item == null) {
                        continue;
                    }
                    if (InteractionReader.validId(user.toString()) == false || InteractionReader.validId(item.toString()) == false) {
                        invalid++;
                        continue;
                    }
                    Object event = doc.get(eventField);
                    Object value = valueField == null ? null : doc.get(valueField);
                    Long time = decay ? InteractionReader.timeOf(hit, timestampField) : null;
                    long age = time == null ? 0 : decayReferenceMillis - time;
                    float weight = w.weight(event == null ? null : event.toString(), value instanceof Number n ? n : null, age);
                    if (weight != 0f) {
                        sums.computeIfAbsent(new Pair(user.toString(), item.toString()), k -> new float[1])[0] += weight;
                        events++;
                    }
                }
                after = hits.get(hits.size() - 1).sort();
            }
        }
        List<Row> rows = new ArrayList<>(sums.size());
        for (Map.Entry<Pair, float[]> e : sums.entrySet()) {
            rows.add(RowFactory.create(e.getKey().user(), e.getKey().item(), e.getValue()[0]));
        }
        return new SliceResult(rows, events, invalid);
    }

    /** The (user, item) key a slice sums its events' weights under, so it hands Spark one row per pair rather than one per event. */
    private record Pair(String user, String item) {}
}
