package dev.mfrecs.plugin.query;

import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.Randomness;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The business controls an {@code mf_recommend} or {@code mf_similar} query may carry, applied to its kNN candidates (the top
 * {@code num_candidates} of the kNN) on the coordinating node, in this order: {@code boost} (multiplicative factors), {@code
 * diversity} (maximal marginal relevance on the items' cosine similarity), {@code dither} (rank dithering); then the top {@code k}
 * are kept ({@link CandidateRerank}). {@code because} adds each hit's top contributing history items ({@link Because}). All off by
 * default: {@link #NONE} leaves the query as it was.
 */
public record BusinessControls(List<ScoreBoost> boosts, Float lambda, Dither dither, int because) implements Writeable {

    public static final int MAX_BECAUSE = 100;
    public static final BusinessControls NONE = new BusinessControls(List.of(), null, null, 0);

    /** Rank dithering: rank {@code r} (1-based) is re-ranked by {@code log(r) + N(0, log(epsilon))}, reproducibly per {@code seed}. */
    public record Dither(float epsilon, long seed) {
        static final float MAX_EPSILON = 100f;

        public Dither {
            if ((epsilon >= 1 && epsilon <= MAX_EPSILON) == false) {
                throw new IllegalArgumentException("[dither] [epsilon] must be in [1, " + (int) MAX_EPSILON + "], got [" + epsilon + "]");
            }
        }
    }

    public BusinessControls {
        boosts = boosts == null ? List.of() : List.copyOf(boosts);
        if (lambda != null && (lambda >= 0 && lambda <= 1) == false) {
            throw new IllegalArgumentException("[diversity] [lambda] must be in [0, 1], got [" + lambda + "]");
        }
        if (because < 0 || because > MAX_BECAUSE) {
            throw new IllegalArgumentException("[because] must be in [0, " + MAX_BECAUSE + "], got [" + because + "]");
        }
    }

    public BusinessControls(StreamInput in) throws IOException {
        this(in.readCollectionAsList(ScoreBoost::new), in.readOptionalFloat(), in.readBoolean() ? new Dither(in.readFloat(), in.readLong())
            : null, in.readVInt());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeCollection(boosts);
        out.writeOptionalFloat(lambda);
        out.writeBoolean(dither != null);
        if (dither != null) {
            out.writeFloat(dither.epsilon());
            out.writeLong(dither.seed());
        }
        out.writeVInt(because);
    }

    /** True when the candidates are re-ranked (boost, diversity or dither), which takes a candidates search first. */
    public boolean reranks() {
        return boosts.isEmpty() == false || lambda != null || dither != null;
    }

    public boolean isEmpty() {
        return reranks() == false && because == 0;
    }

    /** Writes the set controls as fields of the query's body, but {@code boost} ({@link MfRequestFields#boostAndQueryName}). */
    void toXContent(XContentBuilder builder) throws IOException {
        if (lambda != null) {
            builder.startObject("diversity").field("lambda", lambda).endObject();
        }
        if (dither != null) {
            builder.startObject("dither").field("epsilon", dither.epsilon()).field("seed", dither.seed()).endObject();
        }
        if (because > 0) {
            builder.field("because", because);
        }
    }

    /** What the parsers collect; {@link #build} validates. */
    static final class Parsed {
        List<ScoreBoost> boosts = List.of();
        Float lambda;
        Float epsilon;
        Long seed;
        boolean ditherSet;
        Integer because;

        BusinessControls build(String api) {
            try {
                if (ditherSet && epsilon == null) {
                    throw new IllegalArgumentException("[dither] requires [epsilon]");
                }
                Dither dither = ditherSet ? new Dither(epsilon, seed == null ? Randomness.get().nextLong() : seed) : null;
                return new BusinessControls(boosts, lambda, dither, because == null ? 0 : because);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("[" + api + "] " + e.getMessage(), e);
            }
        }
    }

    /** Parses {@code {"lambda": 0.8}} (the parser stands on its start). */
    static void parseDiversity(XContentParser parser, String api, Parsed into) throws IOException {
        into.lambda = Float.NaN;
        readObject(parser, api, "diversity", (name, p) -> {
            if ("lambda".equals(name)) {
                into.lambda = number(p, api, "diversity.lambda");
                return true;
            }
            return false;
        });
    }

    /** Parses {@code {"epsilon": 1.5, "seed": 42}} (the parser stands on its start). */
    static void parseDither(XContentParser parser, String api, Parsed into) throws IOException {
        into.ditherSet = true;
        readObject(parser, api, "dither", (name, p) -> {
            if ("epsilon".equals(name)) {
                into.epsilon = number(p, api, "dither.epsilon");
                return true;
            }
            if ("seed".equals(name)) {
                if (p.currentToken() != XContentParser.Token.VALUE_NUMBER || (p.numberType() != XContentParser.NumberType.INT
                    && p.numberType() != XContentParser.NumberType.LONG)) {
                    throw new ParsingException(p.getTokenLocation(), "[" + api + "] [dither.seed] must be an integer, got [" + p.text()
                        + "]");
                }
                into.seed = p.longValue();
                return true;
            }
            return false;
        });
    }

    /**
     * Reads the value of one field of a control's object and says whether the field is known, so that {@code readObject} walks the
     * object once for every control and refuses an unknown or non-value field the same way.
     */
    @FunctionalInterface
    private interface FieldReader {
        boolean read(String name, XContentParser parser) throws IOException;
    }

    private static void readObject(XContentParser parser, String api, String section, FieldReader reader) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_OBJECT) {
            throw new ParsingException(parser.getTokenLocation(), "[" + api + "] [" + section + "] must be an object, got [" + parser
                .currentToken() + "]");
        }
        String name = null;
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            if (token == XContentParser.Token.FIELD_NAME) {
                name = parser.currentName();
            } else if (token.isValue() == false || reader.read(name, parser) == false) {
                throw new ParsingException(parser.getTokenLocation(), "[" + api + "] unknown [" + section + "] field [" + name + "]");
            }
        }
    }

    private static float number(XContentParser parser, String api, String name) throws IOException {
        try {
            return parser.currentToken() == XContentParser.Token.VALUE_NUMBER ? parser.floatValue() : Float.parseFloat(parser.text());
        } catch (NumberFormatException e) {
            throw new ParsingException(parser.getTokenLocation(), "[" + api + "] [" + name + "] must be a number, got [" + parser.text()
                + "]");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BusinessControls c && boosts.equals(c.boosts) && Objects.equals(lambda, c.lambda) && Objects.equals(dither,
            c.dither) && because == c.because;
    }

    @Override
    public int hashCode() {
        return Objects.hash(boosts, lambda, dither, because);
    }
}
