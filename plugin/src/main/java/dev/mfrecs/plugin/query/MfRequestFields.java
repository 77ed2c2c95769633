package dev.mfrecs.plugin.query;

import dev.mfrecs.plugin.model.HistoryEntry;

import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The mutable bag the mf query and request parsers fill before the immutable, validated object is built from it.
 * Parsing collects; the validating constructor of the target decides, so every error names the API and the value.
 */
final class MfRequestFields {

    static final ParseField MODEL = new ParseField("model");
    static final ParseField USER = new ParseField("user");
    static final ParseField HISTORY = new ParseField("history");
    static final ParseField FIELD = new ParseField("field");
    static final ParseField K = new ParseField("k");
    static final ParseField NUM_CANDIDATES = new ParseField("num_candidates");
    static final ParseField FILTER = new ParseField("filter");
    static final ParseField EXCLUDE_SEEN = new ParseField("exclude_seen");
    static final ParseField ON_EMPTY = new ParseField("on_empty");
    static final ParseField ITEMS = new ParseField("items");

    String model;
    String user;
    List<HistoryEntry> history;
    String field;
    Integer k;
    Integer numCandidates;
    List<QueryBuilder> filters = new ArrayList<>();
    Boolean excludeSeen;
    String onEmpty;
    List<String> items;
    float boost = AbstractQueryBuilder.DEFAULT_BOOST;
    String queryName;

    /** Throws, naming the API, unless {@code model} is a valid model name. */
    static String requireModel(String api, String model) {
        if (model == null) {
            throw new IllegalArgumentException("[" + api + "] requires [model]");
        }
        String invalid = dev.mfrecs.mappings.ModelIndices.validateModelName(model);
        if (invalid != null) {
            throw new IllegalArgumentException("[" + api + "] " + invalid);
        }
        return model;
    }

    static void declareModelAndUser(ObjectParser<MfRequestFields, Void> parser, String api) {
        parser.declareString((p, v) -> p.model = v, MODEL);
        parser.declareString((p, v) -> p.user = v, USER);
        parser.declareField((p, v) -> p.history = v, (xp, c) -> HistoryEntry.parseList(xp, api), HISTORY,
            ObjectParser.ValueType.VALUE_ARRAY);
    }

    static void declareKnn(ObjectParser<MfRequestFields, Void> parser) {
        parser.declareString((p, v) -> p.field = v, FIELD);
        parser.declareInt((p, v) -> p.k = v, K);
        parser.declareInt((p, v) -> p.numCandidates = v, NUM_CANDIDATES);
        parser.declareField((p, v) -> p.filters = v, (xp, c) -> parseFilters(xp), FILTER, ObjectParser.ValueType.OBJECT_ARRAY);
        parser.declareFloat((p, v) -> p.boost = v, AbstractQueryBuilder.BOOST_FIELD);
        parser.declareString((p, v) -> p.queryName = v, AbstractQueryBuilder.NAME_FIELD);
    }

    private static List<QueryBuilder> parseFilters(XContentParser parser) throws IOException {
        List<QueryBuilder> filters = new ArrayList<>();
        if (parser.currentToken() == XContentParser.Token.START_ARRAY) {
            while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
                filters.add(AbstractQueryBuilder.parseTopLevelQuery(parser));
            }
        } else {
            filters.add(AbstractQueryBuilder.parseTopLevelQuery(parser));
        }
        return filters;
    }
}
