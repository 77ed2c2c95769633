package dev.mfrecs.trainer.es;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;

import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.contract.EventTime;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.trainer.log.ProgressLog;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What one training run reads from the interactions index, decided once before anything is read and recorded in the model's
 * metadata as its {@link InteractionRecipe}: the events matching the run's query, from the window's start up to the cut-off
 * (the window's end, or the moment the run started, so events arriving while it reads are left for the next run and for the
 * plugin's freshness), weighted by the recipe and decayed from the newest event read. Every engine (the local reader and the
 * Spark slices) reads with the same plan, so a model looks the same to the plugin whichever engine trained it.
 *
 * @param recipe the recipe, complete (cut-off and decay reference set)
 * @param query  the Elasticsearch query selecting exactly the events the recipe describes
 */
public record ReadPlan(InteractionRecipe recipe, Query query) {

    /** A time window and filter of the events to read (null: no bound). */
    public record Window(Instant from, Instant to, String queryJson, Float binarizeAt) {
        public static final Window ALL = new Window(null, null, null, null);
    }

    /**
     * Plans a read of {@code fields} within {@code window}: checks the timestamp field exists (an index without one is read
     * without a window or decay, and says so), fixes the cut-off at {@code now} unless the window ends earlier, and finds the
     * decay reference (the newest event matching the query) when decaying.
     */
    public static ReadPlan of(ElasticsearchClient client, InteractionFields fields, Window window, DuplicatePolicy duplicates, Instant now,
                              ProgressLog log) throws IOException {
        InteractionFields effective = fields;
        if (fields.timestampField() != null && hasField(client, fields.index(), fields.timestampField()) == false) {
            if (fields.halfLifeDays() > 0 || window.from() != null || window.to() != null) {
                throw new IllegalArgumentException("field [" + fields.timestampField() + "] not found in interactions index ["
                    + fields.index() + "]; time decay and windows need it");
            }
            log.step("[" + fields.index() + "] has no field [" + fields.timestampField() + "]: reading every event, no cut-off");
            effective = fields.withoutTimestamp();
        }
        Long from = effective.timestampField() == null || window.from() == null ? null : window.from().toEpochMilli();
        Long cutoff = null;
        if (effective.timestampField() != null) {
            Instant end = window.to() != null && window.to().isBefore(now) ? window.to() : now;
            cutoff = end.toEpochMilli();
        }
        Query query = query(effective.timestampField(), window.queryJson(), from, cutoff);
        Long reference = effective.halfLifeDays() > 0 ? newestTimestamp(client, effective, query) : null;
        return new ReadPlan(new InteractionRecipe(effective, duplicates, window.binarizeAt(), window.queryJson(), from, cutoff, reference),
            query);
    }

    /** The query selecting the recipe's events: its query, and the window from {@code from} (inclusive) to the cut-off (exclusive). */
    public static Query query(InteractionRecipe recipe) {
        return query(recipe.fields().timestampField(), recipe.query(), recipe.fromMillis(), recipe.cutoffMillis());
    }

    private static Query query(String timestampField, String queryJson, Long fromMillis, Long cutoffMillis) {
        List<Query> filters = new ArrayList<>();
        if (queryJson != null) {
            filters.add(Query.of(q -> q.withJson(new StringReader(queryJson))));
        }
        if (timestampField != null && (fromMillis != null || cutoffMillis != null)) {
            filters.add(Query.of(q -> q.range(r -> r.date(d -> {
                d.field(timestampField).format(EventTime.DOCVALUE_FORMAT);
                if (fromMillis != null) {
                    d.gte(Long.toString(fromMillis));
                }
                if (cutoffMillis != null) {
                    d.lt(Long.toString(cutoffMillis));
                }
                return d;
            }))));
        }
        return filters.isEmpty() ? Query.of(q -> q.matchAll(m -> m)) : Query.of(q -> q.bool(b -> b.filter(filters)));
    }

    private static boolean hasField(ElasticsearchClient client, String index, String field) throws IOException {
        try {
            return client.fieldCaps(f -> f.index(index).fields(field)).fields().containsKey(field);
        } catch (ElasticsearchException e) {
            if (e.status() == 404) {
                throw new IllegalArgumentException("interactions index [" + index + "] not found", e);
            }
            throw e;
        }
    }

    /** The newest event's time in epoch milliseconds (a date max aggregation's value is in milliseconds whatever the format). */
    private static long newestTimestamp(ElasticsearchClient client, InteractionFields fields, Query query) throws IOException {
        var r = client.search(s -> s.index(fields.index()).size(0).query(query)
            .aggregations("newest", a -> a.max(m -> m.field(fields.timestampField()))), Void.class);
        Double v = r.aggregations().get("newest").max().value();
        if (v == null || v.isInfinite() || v.isNaN()) {
            throw new IllegalStateException("no events with a [" + fields.timestampField() + "] in [" + fields.index() + "] to decay from");
        }
        return v.longValue();
    }
}
