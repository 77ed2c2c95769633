package dev.mfrecs.plugin.user;

import dev.mfrecs.contract.EventTime;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.contract.UserHistory;

import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.search.SearchRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.index.query.RangeQueryBuilder;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.fetch.subphase.FetchSourceContext;
import org.elasticsearch.search.sort.SortOrder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one user's events from the interactions index the way the trainer read them, as the model's
 * {@link InteractionRecipe} recorded: the same fields, the training query and the window's start, each event weighted and
 * decayed from the recorded reference time, repeated items combined by the recipe's policy and binarized. The newest
 * {@code maxEvents} events are read (one search, with the caller's privileges); the timestamp comes as an epoch-millisecond doc
 * value, whatever the field's date format.
 * <p>
 * Events after the training cut-off are read too: a user the model was not trained on is folded in from everything they did.
 */
public final class InteractionHistoryReader {

    private InteractionHistoryReader() {}

    /** One event as read: item, event type, value and time (either may be null). */
    record Event(String item, String type, Number value, Long millis) {}

    /**
     * What a read found: the events aggregated by the recipe, how many events were read, and the events themselves, oldest first
     * (so that two reads of adjacent time ranges can be aggregated as one, see {@link #after}).
     */
    public record Read(UserHistory history, int events, List<Event> read) {

        /** This read's events (all older) followed by {@code newer}'s, aggregated by {@code recipe} as one read of both. */
        Read after(InteractionRecipe recipe, Read newer) {
            List<Event> all = new ArrayList<>(read.size() + newer.read.size());
            all.addAll(read);
            all.addAll(newer.read);
            return aggregate(recipe, all);
        }
    }

    static SearchRequest request(InteractionRecipe recipe, String user, Long sinceMillis, int maxEvents) {
        return request(recipe, user, sinceMillis, null, maxEvents);
    }

    static SearchRequest request(InteractionRecipe recipe, String user, Long sinceMillis, Long beforeMillis, int maxEvents) {
        InteractionFields f = recipe.fields();
        BoolQueryBuilder query = QueryBuilders.boolQuery().filter(QueryBuilders.termQuery(f.userField(), user));
        if (recipe.query() != null) {
            query.filter(QueryBuilders.wrapperQuery(recipe.query()));
        }
        Long from = sinceMillis != null ? sinceMillis : recipe.fromMillis();
        if (f.timestampField() != null && (from != null || beforeMillis != null)) {
            RangeQueryBuilder range = new RangeQueryBuilder(f.timestampField()).format(EventTime.DOCVALUE_FORMAT);
            if (from != null) {
                range.gte(from);
            }
            if (beforeMillis != null) {
                range.lt(beforeMillis);
            }
            query.filter(range);
        }
        List<String> fields = new ArrayList<>(List.of(f.itemField(), f.eventField()));
        if (f.valueField() != null) {
            fields.add(f.valueField());
        }
        SearchSourceBuilder search = new SearchSourceBuilder().query(query)
            .size(maxEvents)
            .trackTotalHits(false)
            .fetchSource(FetchSourceContext.of(true, fields.toArray(String[]::new), null));
        if (f.timestampField() != null) {
            search.sort(f.timestampField(), SortOrder.DESC).docValueField(f.timestampField(), EventTime.DOCVALUE_FORMAT);
        }
        return new SearchRequest(f.index()).source(search).allowPartialSearchResults(false);
    }

    /** Reads the user's events (the whole window) and aggregates them by the recipe. */
    public static void read(Client client, InteractionRecipe recipe, String user, int maxEvents, ActionListener<Read> listener) {
        read(client, recipe, user, null, maxEvents, listener);
    }

    /**
     * Reads the user's events at or after {@code sinceMillis} (null: the whole window) and aggregates them by the recipe: with
     * the model's cut-off, the events the model was not trained on.
     */
    public static void read(Client client, InteractionRecipe recipe, String user, Long sinceMillis, int maxEvents,
                            ActionListener<Read> listener) {
        read(client, recipe, user, sinceMillis, null, maxEvents, listener);
    }

    /**
     * Reads the newest {@code maxEvents} of the user's events in the recipe's window that happened before {@code beforeMillis}:
     * with the model's cut-off, what a read of the whole window adds to a read since the cut-off that found fewer than its limit.
     */
    public static void readBefore(Client client, InteractionRecipe recipe, String user, long beforeMillis, int maxEvents,
                                  ActionListener<Read> listener) {
        read(client, recipe, user, null, beforeMillis, maxEvents, listener);
    }

    private static void read(Client client, InteractionRecipe recipe, String user, Long sinceMillis, Long beforeMillis, int maxEvents,
                             ActionListener<Read> listener) {
        InteractionFields f = recipe.fields();
        client.search(request(recipe, user, sinceMillis, beforeMillis, maxEvents), listener.delegateFailureAndWrap((l, response) -> {
            SearchHit[] hits = response.getHits().getHits();
            List<Event> events = new ArrayList<>(hits.length);
            // Oldest first, as the trainer's aggregation sees them in time.
            for (int i = hits.length - 1; i >= 0; i--) {
                Map<String, Object> doc = hits[i].getSourceAsMap();
                Object item = doc.get(f.itemField());
                if (item == null) {
                    continue;
                }
                Object event = doc.get(f.eventField());
                Object value = f.valueField() == null ? null : doc.get(f.valueField());
                Long time = null;
                if (f.timestampField() != null) {
                    DocumentField ts = hits[i].field(f.timestampField());
                    time = ts == null ? null : EventTime.millis(ts.getValue());
                }
                events.add(new Event(item.toString(), event == null ? null : event.toString(), value instanceof Number n ? n : null, time));
            }
            Read read = aggregate(recipe, events);
            l.onResponse(new Read(read.history(), hits.length, read.read()));
        }));
    }

    /** The events (oldest first) aggregated by the recipe. */
    private static Read aggregate(InteractionRecipe recipe, List<Event> events) {
        UserHistory history = recipe.newHistory();
        for (Event e : events) {
            history.addEvent(e.item(), e.type(), e.value(), e.millis());
        }
        return new Read(history, events.size(), List.copyOf(events));
    }
}
