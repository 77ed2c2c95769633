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

    /** What a read found: the events aggregated by the recipe, and how many events were read. */
    public record Read(UserHistory history, int events) {}

    static SearchRequest request(InteractionRecipe recipe, String user, Long sinceMillis, int maxEvents) {
        InteractionFields f = recipe.fields();
        BoolQueryBuilder query = QueryBuilders.boolQuery().filter(QueryBuilders.termQuery(f.userField(), user));
        if (recipe.query() != null) {
            query.filter(QueryBuilders.wrapperQuery(recipe.query()));
        }
        Long from = sinceMillis != null ? sinceMillis : recipe.fromMillis();
        if (f.timestampField() != null && from != null) {
            query.filter(new RangeQueryBuilder(f.timestampField()).gte(from).format(EventTime.DOCVALUE_FORMAT));
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
        InteractionFields f = recipe.fields();
        client.search(request(recipe, user, sinceMillis, maxEvents), listener.delegateFailureAndWrap((l, response) -> {
            SearchHit[] hits = response.getHits().getHits();
            UserHistory history = recipe.newHistory();
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
                history.addEvent(item.toString(), event == null ? null : event.toString(), value instanceof Number n ? n : null, time);
            }
            l.onResponse(new Read(history, hits.length));
        }));
    }
}
