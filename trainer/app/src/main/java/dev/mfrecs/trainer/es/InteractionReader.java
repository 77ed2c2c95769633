package dev.mfrecs.trainer.es;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;

import dev.mfrecs.factorization.EventWeights;
import dev.mfrecs.factorization.InteractionFields;
import dev.mfrecs.trainer.data.DuplicatePolicy;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.log.ProgressLog;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Streams an interactions index (or alias or pattern) into an {@link InteractionMatrix} with a point-in-time and
 * {@code search_after} on {@code _shard_doc}: bounded memory per page, no deep paging, and a consistent view while the
 * index keeps receiving events. Events are weighted by {@link EventWeights} and decayed relative to the newest event
 * (so a historical log is not decayed to nothing); an optional time window and query limit what is read.
 */
public final class InteractionReader {

    static final int PAGE_SIZE = 5_000;

    private final ElasticsearchClient client;
    private final InteractionFields fields;
    private final Query filter;
    private final Instant from;
    private final Instant to;
    private final boolean ratings;

    /** With {@code ratings}, repeated (user, item) values are averaged (explicit ratings) instead of summed. */
    public InteractionReader(ElasticsearchClient client, InteractionFields fields, Query filter, Instant from, Instant to,
                             boolean ratings) {
        this.client = client;
        this.fields = fields;
        this.filter = filter;
        this.from = from;
        this.to = to;
        this.ratings = ratings;
    }

    public InteractionMatrix read(int minPerUser, int minPerItem, float binarizeAt, ProgressLog log) throws IOException {
        EventWeights weights = fields.eventWeights();
        List<Query> must = new ArrayList<>();
        if (filter != null) {
            must.add(filter);
        }
        if ((from != null || to != null) && fields.timestampField() != null) {
            must.add(Query.of(q -> q.range(r -> r.date(d -> {
                d.field(fields.timestampField());
                if (from != null) {
                    d.gte(from.toString());
                }
                if (to != null) {
                    d.lt(to.toString());
                }
                return d;
            }))));
        }
        Query query = must.isEmpty() ? Query.of(q -> q.matchAll(m -> m)) : Query.of(q -> q.bool(b -> b.filter(must)));
        List<String> source = new ArrayList<>(List.of(fields.userField(), fields.itemField(), fields.eventField()));
        if (fields.valueField() != null) {
            source.add(fields.valueField());
        }
        if (fields.timestampField() != null) {
            source.add(fields.timestampField());
        }
        // Decay is relative to the newest event read; collect raw events with their timestamps first when decaying.
        boolean decay = fields.halfLifeDays() > 0 && fields.timestampField() != null;
        long newest = decay ? newestTimestamp(query) : 0;

        String pit = client.openPointInTime(p -> p.index(fields.index()).keepAlive(k -> k.time("2m"))).id();
        InteractionMatrix.Accumulator acc = new InteractionMatrix.Accumulator(ratings ? DuplicatePolicy.MEAN : DuplicatePolicy.SUM);
        try {
            List<FieldValue> after = null;
            long pages = 0;
            while (true) {
                final List<FieldValue> searchAfter = after;
                final String pitId = pit;
                @SuppressWarnings("rawtypes")
                SearchResponse<Map> page = client.search(s -> {
                    s.pit(p -> p.id(pitId).keepAlive(k -> k.time("2m")))
                        .query(query)
                        .size(PAGE_SIZE)
                        .trackTotalHits(t -> t.enabled(false))
                        .sort(o -> o.field(f -> f.field("_shard_doc").order(SortOrder.Asc)))
                        .source(src -> src.filter(f -> f.includes(source)));
                    if (searchAfter != null) {
                        s.searchAfter(searchAfter);
                    }
                    return s;
                }, Map.class);
                if (page.pitId() != null) {
                    pit = page.pitId();
                }
                @SuppressWarnings("rawtypes")
                List<Hit<Map>> hits = page.hits().hits();
                if (hits.isEmpty()) {
                    break;
                }
                for (@SuppressWarnings("rawtypes") Hit<Map> hit : hits) {
                    Map<?, ?> doc = hit.source();
                    Object user = doc == null ? null : doc.get(fields.userField());
                    Object item = doc == null ? null : doc.get(fields.itemField());
                    if (user == null || item == null) {
                        continue;
                    }
                    Object event = doc.get(fields.eventField());
                    Object value = fields.valueField() == null ? null : doc.get(fields.valueField());
                    long age = decay ? newest - timestampMillis(doc.get(fields.timestampField())) : 0;
                    float w = weights.weight(event == null ? null : event.toString(), value instanceof Number n ? n : null, age);
                    if (w != 0f) {
                        acc.add(user.toString(), item.toString(), w);
                    }
                }
                after = hits.get(hits.size() - 1).sort();
                if (++pages % 20 == 0) {
                    log.step("read " + acc.events() + " events from [" + fields.index() + "]");
                }
            }
        } finally {
            final String pitId = pit;
            client.closePointInTime(c -> c.id(pitId));
        }
        log.step("read " + acc.events() + " weighted events from [" + fields.index() + "]");
        return acc.build(minPerUser, minPerItem, binarizeAt);
    }

    private long newestTimestamp(Query query) throws IOException {
        var r = client.search(s -> s.index(fields.index()).size(0).query(query)
            .aggregations("newest", a -> a.max(m -> m.field(fields.timestampField()))), Void.class);
        Double v = r.aggregations().get("newest").max().value();
        return v == null || v.isInfinite() ? 0 : v.longValue();
    }

    /** An event's timestamp as epoch millis: a number as is, an ISO-8601 instant parsed; anything else counts as 0 (not decayed). */
    public static long timestampMillis(Object ts) {
        if (ts instanceof Number n) {
            return n.longValue();
        }
        if (ts instanceof String s) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (RuntimeException e) {
                return 0;
            }
        }
        return 0;
    }

}
