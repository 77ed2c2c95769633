package dev.mfrecs.plugin.query;

import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.functionscore.FunctionScoreQueryBuilder;
import org.elasticsearch.index.query.functionscore.ScoreFunctionBuilders;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One multiplicative factor of an mf query's {@code boost} business control, applied to each kNN candidate's score: a numeric
 * field's value ({@code {"field": "margin", "missing": 1}}; a document without the field gets {@code missing}) or a weight for the
 * candidates a query matches ({@code {"filter": {...}, "weight": 1.5}}; others keep their score).
 */
public record ScoreBoost(String field, float missing, QueryBuilder filter, float weight) implements Writeable, ToXContentObject {

    static final int MAX_BOOSTS = 16;
    static final float MAX_FACTOR = 1_000_000f;

    public ScoreBoost {
        if ((field == null) == (filter == null)) {
            throw new IllegalArgumentException("a [boost] entry takes one of [field] or [filter]");
        }
        if (field != null && field.isEmpty()) {
            throw new IllegalArgumentException("[boost] [field] must not be empty");
        }
        if ((missing >= 0 && missing <= MAX_FACTOR) == false) {
            throw new IllegalArgumentException("[boost] [missing] must be in [0, " + (long) MAX_FACTOR + "], got [" + missing + "]");
        }
        if ((weight >= 0 && weight <= MAX_FACTOR) == false) {
            throw new IllegalArgumentException("[boost] [weight] must be in [0, " + (long) MAX_FACTOR + "], got [" + weight + "]");
        }
    }

    public static ScoreBoost byField(String field, float missing) {
        return new ScoreBoost(field, missing, null, 1f);
    }

    public static ScoreBoost byFilter(QueryBuilder filter, float weight) {
        return new ScoreBoost(null, 1f, filter, weight);
    }

    public ScoreBoost(StreamInput in) throws IOException {
        this(in.readOptionalString(), in.readFloat(), in.readOptionalNamedWriteable(QueryBuilder.class), in.readFloat());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeOptionalString(field);
        out.writeFloat(missing);
        out.writeOptionalNamedWriteable(filter);
        out.writeFloat(weight);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        if (field != null) {
            builder.field("field", field).field("missing", missing);
        } else {
            builder.field("filter", filter).field("weight", weight);
        }
        return builder.endObject();
    }

    /** As Elasticsearch's {@code function_score} function that computes it. */
    FunctionScoreQueryBuilder.FilterFunctionBuilder toFunction() {
        if (field != null) {
            return new FunctionScoreQueryBuilder.FilterFunctionBuilder(
                ScoreFunctionBuilders.fieldValueFactorFunction(field).missing(missing));
        }
        return new FunctionScoreQueryBuilder.FilterFunctionBuilder(filter, ScoreFunctionBuilders.weightFactorFunction(weight));
    }

    /**
     * The {@code boost} of an mf query when it is an object or an array: the business boosts, and the query's own boost when an
     * entry has only a {@code weight} (how a query with both is written back).
     */
    record Parsed(List<ScoreBoost> boosts, Float queryBoost) {}

    /** Parses one entry or an array of entries; errors name {@code api}. */
    static Parsed parseList(XContentParser parser, String api) throws IOException {
        List<ScoreBoost> out = new ArrayList<>();
        Float[] queryBoost = new Float[1];
        if (parser.currentToken() == XContentParser.Token.START_ARRAY) {
            while (parser.nextToken() != XContentParser.Token.END_ARRAY) {
                parseOne(parser, api, out, queryBoost);
                if (out.size() > MAX_BOOSTS) {
                    throw new ParsingException(parser.getTokenLocation(), "[" + api + "] [boost] takes at most [" + MAX_BOOSTS
                        + "] entries");
                }
            }
        } else {
            parseOne(parser, api, out, queryBoost);
        }
        return new Parsed(List.copyOf(out), queryBoost[0]);
    }

    /** Writes the business boosts, with the query's boost as a weight-only entry when it is not 1, as {@link #parseList} reads them. */
    static void toXContent(XContentBuilder builder, List<ScoreBoost> boosts, float queryBoost) throws IOException {
        builder.startArray("boost");
        for (ScoreBoost b : boosts) {
            b.toXContent(builder, EMPTY_PARAMS);
        }
        if (queryBoost != AbstractQueryBuilder.DEFAULT_BOOST) {
            builder.startObject().field("weight", queryBoost).endObject();
        }
        builder.endArray();
    }

    private static void parseOne(XContentParser parser, String api, List<ScoreBoost> out, Float[] queryBoost) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
            throw new ParsingException(parser.getTokenLocation(), "[" + api + "] [boost] entries must be objects, got [" + parser
                .currentToken() + "]");
        }
        String field = null;
        QueryBuilder filter = null;
        Float weight = null;
        Float missing = null;
        String name = null;
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            if (token == XContentParser.Token.FIELD_NAME) {
                name = parser.currentName();
            } else if ("field".equals(name) && token == XContentParser.Token.VALUE_STRING) {
                field = parser.text();
            } else if ("filter".equals(name) && token == XContentParser.Token.START_OBJECT) {
                filter = AbstractQueryBuilder.parseTopLevelQuery(parser);
            } else if ("weight".equals(name) && token.isValue()) {
                weight = number(parser, api, "weight");
            } else if ("missing".equals(name) && token.isValue()) {
                missing = number(parser, api, "missing");
            } else {
                throw new ParsingException(parser.getTokenLocation(), "[" + api + "] unknown [boost] field [" + name + "]");
            }
        }
        if (field == null && filter == null && missing == null && weight != null) {
            queryBoost[0] = weight;
            return;
        }
        try {
            if (field != null && weight != null) {
                throw new IllegalArgumentException("[boost] [weight] applies to [filter], not to [field]");
            }
            if (filter != null && missing != null) {
                throw new IllegalArgumentException("[boost] [missing] applies to [field], not to [filter]");
            }
            out.add(new ScoreBoost(field, missing == null ? 1f : missing, filter, weight == null ? 1f : weight));
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), "[" + api + "] " + e.getMessage(), e);
        }
    }

    private static float number(XContentParser parser, String api, String name) throws IOException {
        try {
            return parser.currentToken() == XContentParser.Token.VALUE_NUMBER ? parser.floatValue() : Float.parseFloat(parser.text());
        } catch (NumberFormatException e) {
            throw new ParsingException(parser.getTokenLocation(), "[" + api + "] [boost] [" + name + "] must be a number, got [" + parser
                .text() + "]");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ScoreBoost b && Objects.equals(field, b.field) && missing == b.missing && Objects.equals(filter, b.filter)
            && weight == b.weight;
    }

    @Override
    public int hashCode() {
        return Objects.hash(field, missing, filter, weight);
    }
}
