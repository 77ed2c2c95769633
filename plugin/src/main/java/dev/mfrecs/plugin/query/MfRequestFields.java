package dev.mfrecs.plugin.query;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.user.HistoryEntry;
import dev.mfrecs.plugin.user.UserSource;
import dev.mfrecs.plugin.user.UserSpec;

import org.elasticsearch.common.ParsingException;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The shared skeleton of the mf query and query-vector parsers: the mutable bag each parser fills, the declarations of the
 * fields they have in common, and the step that builds the immutable, validated object from the bag. Parsing collects; the
 * validating constructor of the target decides, and its refusal becomes a parse error at the query's location, so every
 * error is a 400 naming the API and the value. The parse context is the node's {@link MfServices} (the history limit).
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
    static final ParseField SOURCE = new ParseField("source");
    static final ParseField FRESH = new ParseField("fresh");
    static final ParseField BACKFILL = new ParseField("backfill");
    static final ParseField DIVERSITY = new ParseField("diversity");
    static final ParseField DITHER = new ParseField("dither");
    static final ParseField BECAUSE = new ParseField("because");

    /** The vector fields every published items index has: the kNN of an mf query runs on one of them. */
    static final Set<String> VECTOR_FIELDS = Set.of(ModelIndices.VECTOR, ModelIndices.VECTOR_COSINE);

    String model;
    String user;
    List<HistoryEntry> history;
    String source;
    Boolean fresh;
    String field;
    Integer k;
    Integer numCandidates;
    List<QueryBuilder> filters = new ArrayList<>();
    Boolean excludeSeen;
    String onEmpty;
    String backfill;
    List<String> items;
    float boost = AbstractQueryBuilder.DEFAULT_BOOST;
    String queryName;
    BusinessControls.Parsed controls = new BusinessControls.Parsed();

    /** Parses with {@code parser} and builds the target; a refusal of the target's constructor becomes a parse error. */
    static <T> T parse(ObjectParser<MfRequestFields, MfServices> parser, XContentParser xContent, MfServices services,
                       Function<MfRequestFields, T> build) throws IOException {
        MfRequestFields f = parser.parse(xContent, services);
        try {
            return build.apply(f);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(xContent.getTokenLocation(), e.getMessage(), e);
        }
    }

    /** The user the request is for, as parsed. */
    UserSpec userSpec(String api) {
        return new UserSpec(user, history, source == null ? null : UserSource.parse(api, source), fresh);
    }

    /** Writes the user the request is for in the form {@link #declareModelAndUser} parses. */
    static void userToXContent(XContentBuilder builder, UserSpec spec) throws IOException {
        if (spec.user() != null) {
            builder.field(USER.getPreferredName(), spec.user());
            if (spec.source() != UserSource.AUTO) {
                builder.field(SOURCE.getPreferredName(), spec.source().toString());
            }
            if (spec.fresh() != null) {
                builder.field(FRESH.getPreferredName(), spec.fresh());
            }
        } else {
            builder.xContentList(HISTORY.getPreferredName(), spec.history());
        }
    }

    /** Throws, naming the API, unless {@code model} is a valid model name. */
    static String requireModel(String api, String model) {
        if (model == null) {
            throw new IllegalArgumentException("[" + api + "] requires [model]");
        }
        String invalid = ModelIndices.validateModelName(model);
        if (invalid != null) {
            throw new IllegalArgumentException("[" + api + "] " + invalid);
        }
        return model;
    }

    /** Throws, naming the API, unless {@code field} is one of the items index's vector fields. */
    static String requireVectorField(String api, String field) {
        if (VECTOR_FIELDS.contains(field) == false) {
            throw new IllegalArgumentException("[" + api + "] [field] must be one of [" + ModelIndices.VECTOR + ", "
                + ModelIndices.VECTOR_COSINE + "], got [" + field + "]");
        }
        return field;
    }

    static void declareModelAndUser(ObjectParser<MfRequestFields, MfServices> parser, String api) {
        parser.declareString((p, v) -> p.model = v, MODEL);
        parser.declareString((p, v) -> p.user = v, USER);
        parser.declareString((p, v) -> p.source = v, SOURCE);
        parser.declareBoolean((p, v) -> p.fresh = v, FRESH);
        parser.declareField((p, v) -> p.history = v, (xp, services) -> HistoryEntry.parseList(xp, api, services.settings().maxHistory()),
            HISTORY, ObjectParser.ValueType.VALUE_ARRAY);
    }

    /** The options of what a ranked list does when it comes up short: {@code on_empty} and {@code backfill}. */
    static void declareFallbacks(ObjectParser<MfRequestFields, MfServices> parser) {
        parser.declareString((p, v) -> p.onEmpty = v, ON_EMPTY);
        parser.declareString((p, v) -> p.backfill = v, BACKFILL);
    }

    static void declareKnn(ObjectParser<MfRequestFields, MfServices> parser, String api) {
        parser.declareString((p, v) -> p.field = v, FIELD);
        parser.declareField((p, v) -> p.k = v, (xp, c) -> strictInt(xp, api, K), K, ObjectParser.ValueType.INT);
        parser.declareField((p, v) -> p.numCandidates = v, (xp, c) -> strictInt(xp, api, NUM_CANDIDATES), NUM_CANDIDATES,
            ObjectParser.ValueType.INT);
        parser.declareField((p, v) -> p.filters = v, (xp, c) -> parseFilters(xp), FILTER, ObjectParser.ValueType.OBJECT_ARRAY);
        // [boost]: a number is the query's boost; an object or an array, the business control (see BusinessControls)
        parser.declareField(MfRequestFields::setBoost, (xp, c) -> xp.currentToken().isValue() ? (Object) xp.floatValue() : ScoreBoost
            .parseList(xp, api), AbstractQueryBuilder.BOOST_FIELD, ObjectParser.ValueType.OBJECT_ARRAY_STRING_OR_NUMBER);
        parser.declareString((p, v) -> p.queryName = v, AbstractQueryBuilder.NAME_FIELD);
    }

    /** The business controls ({@link BusinessControls}): {@code boost} (with {@link #declareKnn}), diversity, dither, because. */
    static void declareControls(ObjectParser<MfRequestFields, MfServices> parser, String api) {
        parser.declareField((p, v) -> p.controls.lambda = v.lambda, (xp, c) -> {
            BusinessControls.Parsed read = new BusinessControls.Parsed();
            BusinessControls.parseDiversity(xp, api, read);
            return read;
        }, DIVERSITY, ObjectParser.ValueType.OBJECT);
        parser.declareField((p, v) -> {
            p.controls.ditherSet = true;
            p.controls.epsilon = v.epsilon;
            p.controls.seed = v.seed;
        }, (xp, c) -> {
            BusinessControls.Parsed read = new BusinessControls.Parsed();
            BusinessControls.parseDither(xp, api, read);
            return read;
        }, DITHER, ObjectParser.ValueType.OBJECT);
        parser.declareField((p, v) -> p.controls.because = v, (xp, c) -> strictInt(xp, api, BECAUSE), BECAUSE, ObjectParser.ValueType.INT);
    }

    private static void setBoost(MfRequestFields fields, Object value) {
        if (value instanceof Float f) {
            fields.boost = f;
        } else {
            ScoreBoost.Parsed parsed = (ScoreBoost.Parsed) value;
            fields.controls.boosts = parsed.boosts();
            if (parsed.queryBoost() != null) {
                fields.boost = parsed.queryBoost();
            }
        }
    }

    /**
     * Writes the query's boost and name: {@code boost} a number, or, with business boosts, the array {@link ScoreBoost#toXContent}
     * writes (one {@code boost} key either way).
     */
    static void boostAndQueryName(XContentBuilder builder, BusinessControls controls, float boost, String queryName) throws IOException {
        if (controls.boosts().isEmpty()) {
            builder.field(AbstractQueryBuilder.BOOST_FIELD.getPreferredName(), boost);
        } else {
            ScoreBoost.toXContent(builder, controls.boosts(), boost);
        }
        if (queryName != null) {
            builder.field(AbstractQueryBuilder.NAME_FIELD.getPreferredName(), queryName);
        }
    }

    /** An integer, refusing fractions (Elasticsearch's own int parsing would silently truncate {@code 1.5} to 1). */
    static int strictInt(XContentParser parser, String api, ParseField field) throws IOException {
        String text = parser.text();
        try {
            if (parser.currentToken() == XContentParser.Token.VALUE_NUMBER) {
                XContentParser.NumberType type = parser.numberType();
                if (type == XContentParser.NumberType.INT || type == XContentParser.NumberType.LONG) {
                    return Math.toIntExact(parser.longValue());
                }
            } else if (parser.currentToken() == XContentParser.Token.VALUE_STRING) {
                return Integer.parseInt(text);
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // reported below
        }
        throw new ParsingException(parser.getTokenLocation(), "[" + api + "] [" + field.getPreferredName() + "] must be an integer, got ["
            + text + "]");
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
