package dev.mfrecs.plugin.rescore;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.compat.EsVersionCompat;
import dev.mfrecs.plugin.user.HistoryEntry;
import dev.mfrecs.plugin.user.UserResolver;
import dev.mfrecs.plugin.user.UserSource;
import dev.mfrecs.plugin.user.UserSpec;

import org.apache.lucene.util.SetOnce;
import org.elasticsearch.TransportVersion;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.action.ValidateActions;
import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.index.mapper.MappedFieldType;
import org.elasticsearch.index.mapper.vectors.DenseVectorFieldMapper;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.rescore.RescoreContext;
import org.elasticsearch.search.rescore.RescorerBuilder;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code mf_personalize} as a rescorer: re-ranks the top {@code window_size} hits of any query on a model's items by blending the
 * query score with the user's exact dot product with each hit's item vector ({@link MfPersonalizeRescorer}). The user (a stored
 * user, or a fold-in of an inline history or of the user's events, as for {@code mf_recommend}) is resolved once, asynchronously,
 * in the coordinating rewrite; the shards receive the vector. Written as
 * {@code "rescore": {"window_size": 100, "mf_personalize": {"model": "retail", "user": "17850", "weight": 0.5}}}.
 */
public final class MfPersonalizeRescorerBuilder extends RescorerBuilder<MfPersonalizeRescorerBuilder> {

    public static final String NAME = "mf_personalize";
    public static final int DEFAULT_WINDOW = 100;
    public static final int MAX_WINDOW = 10_000;
    public static final float DEFAULT_WEIGHT = 0.5f;

    static final ParseField MODEL = new ParseField("model");
    static final ParseField USER = new ParseField("user");
    static final ParseField HISTORY = new ParseField("history");
    static final ParseField SOURCE = new ParseField("source");
    static final ParseField FRESH = new ParseField("fresh");
    static final ParseField WEIGHT = new ParseField("weight");
    static final ParseField NORMALIZE = new ParseField("normalize");
    static final ParseField FIELD = new ParseField("field");

    /** What the parsers collect before the validating constructor decides (shared with the retriever). */
    static class Fields {
        String model;
        String user;
        List<HistoryEntry> history;
        String source;
        Boolean fresh;
        Float weight;
        String normalize;
        String field;

        MfPersonalizeRescorerBuilder build(MfServices services) {
            return new MfPersonalizeRescorerBuilder(services, model, new UserSpec(user, history, source == null ? null : UserSource.parse(
                NAME, source), fresh), weight, normalize == null ? null : Normalization.parse(NAME, normalize), field);
        }
    }

    static <T extends Fields, C> void declare(ObjectParser<T, C> parser, MfServices services) {
        parser.declareString((p, v) -> p.model = v, MODEL);
        parser.declareString((p, v) -> p.user = v, USER);
        parser.declareString((p, v) -> p.source = v, SOURCE);
        parser.declareBoolean((p, v) -> p.fresh = v, FRESH);
        parser.declareField((p, v) -> p.history = v, (xp, c) -> HistoryEntry.parseList(xp, NAME, services.settings().maxHistory()),
            HISTORY, ObjectParser.ValueType.VALUE_ARRAY);
        parser.declareFloat((p, v) -> p.weight = v, WEIGHT);
        parser.declareString((p, v) -> p.normalize = v, NORMALIZE);
        parser.declareString((p, v) -> p.field = v, FIELD);
    }

    /** The user's vector once resolved: null when there was nothing to fold in. */
    private record Resolution(float[] vector) {}

    private final MfServices services;
    private final String model;
    private final UserSpec userSpec;
    private final float weight;
    private final Normalization normalization;
    private final String field;
    /** Set once the coordinating rewrite resolved the user (the shards only ever see resolved builders). */
    private final Resolution resolution;
    private final Supplier<Resolution> pending;

    public MfPersonalizeRescorerBuilder(MfServices services, String model, UserSpec userSpec, Float weight, Normalization normalization,
                                        String field) {
        this.services = Objects.requireNonNull(services);
        if (model == null) {
            throw new IllegalArgumentException("[" + NAME + "] requires [model]");
        }
        String invalid = ModelIndices.validateModelName(model);
        if (invalid != null) {
            throw new IllegalArgumentException("[" + NAME + "] " + invalid);
        }
        String userError = Objects.requireNonNull(userSpec).validate(NAME, services.settings().maxHistory());
        if (userError != null) {
            throw new IllegalArgumentException(userError);
        }
        float w = weight == null ? DEFAULT_WEIGHT : weight;
        if ((w >= 0 && w <= 1) == false) {
            throw new IllegalArgumentException("[" + NAME + "] [weight] must be in [0, 1], got [" + w + "]");
        }
        this.model = model;
        this.userSpec = userSpec;
        this.weight = w;
        this.normalization = normalization == null ? Normalization.MINMAX : normalization;
        this.field = field == null ? ModelIndices.VECTOR : field;
        if (this.field.isEmpty()) {
            throw new IllegalArgumentException("[" + NAME + "] [field] must not be empty");
        }
        this.resolution = null;
        this.pending = null;
        this.windowSize = DEFAULT_WINDOW;
    }

    private MfPersonalizeRescorerBuilder(MfPersonalizeRescorerBuilder other, Resolution resolution, Supplier<Resolution> pending) {
        this.services = other.services;
        this.model = other.model;
        this.userSpec = other.userSpec;
        this.weight = other.weight;
        this.normalization = other.normalization;
        this.field = other.field;
        this.resolution = resolution;
        this.pending = pending;
        this.windowSize = other.windowSize;
    }

    public MfPersonalizeRescorerBuilder(StreamInput in, MfServices services) throws IOException {
        super(in);
        this.services = services;
        this.model = in.readString();
        this.userSpec = new UserSpec(in);
        this.weight = in.readFloat();
        this.normalization = in.readEnum(Normalization.class);
        this.field = in.readString();
        this.resolution = in.readBoolean() ? new Resolution(in.readOptionalFloatArray()) : null;
        this.pending = null;
    }

    public static MfPersonalizeRescorerBuilder fromXContent(XContentParser parser, MfServices services) throws IOException {
        ObjectParser<Fields, Void> objectParser = new ObjectParser<>(NAME, Fields::new);
        declare(objectParser, services);
        Fields f = objectParser.parse(parser, null);
        try {
            return f.build(services);
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        if (pending != null) {
            throw new IllegalStateException("[" + NAME + "] must be rewritten before it is sent to another node");
        }
        out.writeString(model);
        userSpec.writeTo(out);
        out.writeFloat(weight);
        out.writeEnum(normalization);
        out.writeString(field);
        out.writeBoolean(resolution != null);
        if (resolution != null) {
            out.writeOptionalFloatArray(resolution.vector());
        }
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        fieldsToXContent(builder);
        builder.endObject();
    }

    /** The fields of the user and the blend, as the rescorer and the retriever both write them. */
    void fieldsToXContent(XContentBuilder builder) throws IOException {
        builder.field(MODEL.getPreferredName(), model);
        if (userSpec.user() != null) {
            builder.field(USER.getPreferredName(), userSpec.user());
            if (userSpec.source() != UserSource.AUTO) {
                builder.field(SOURCE.getPreferredName(), userSpec.source().toString());
            }
            if (userSpec.fresh() != null) {
                builder.field(FRESH.getPreferredName(), userSpec.fresh());
            }
        } else {
            builder.xContentList(HISTORY.getPreferredName(), userSpec.history());
        }
        builder.field(WEIGHT.getPreferredName(), weight);
        builder.field(NORMALIZE.getPreferredName(), normalization.toString());
        builder.field(FIELD.getPreferredName(), field);
    }

    @Override
    public ActionRequestValidationException validate(SearchSourceBuilder source, ActionRequestValidationException e) {
        if (windowSize != null && (windowSize < 1 || windowSize > MAX_WINDOW)) {
            e = ValidateActions.addValidationError("[" + NAME + "] [window_size] must be in [1, " + MAX_WINDOW + "], got [" + windowSize
                + "]", e);
        }
        return super.validate(source, e);
    }

    @Override
    public MfPersonalizeRescorerBuilder rewrite(QueryRewriteContext context) {
        if (resolution != null) {
            return this;
        }
        if (pending != null) {
            Resolution r = pending.get();
            return r == null ? this : new MfPersonalizeRescorerBuilder(this, r, null);
        }
        SetOnce<Resolution> result = new SetOnce<>();
        ResolvedIndices searched = context.getResolvedIndices();
        context.registerAsyncAction((client, listener) -> new UserResolver(services).resolveModelAndUser(client, model, userSpec, searched,
            userSpec.freshness(true, false), listener.delegateFailureAndWrap((l, resolved) -> {
                result.set(new Resolution(resolved.user().empty() ? null : resolved.user().vector()));
                l.onResponse(null);
            })));
        return new MfPersonalizeRescorerBuilder(this, null, result::get);
    }

    @Override
    protected RescoreContext innerBuildContext(int windowSize, SearchExecutionContext context) {
        if (resolution == null) {
            throw new IllegalStateException("[" + NAME + "] must be rewritten on the coordinating node first");
        }
        MappedFieldType type = context.getFieldType(field);
        if (type != null && type instanceof DenseVectorFieldMapper.DenseVectorFieldType == false) {
            throw new IllegalArgumentException("[" + NAME + "] [field] must be a dense_vector field, [" + field + "] is of type ["
                + type.typeName() + "] in index [" + context.index().getName() + "]");
        }
        return new MfPersonalizeRescorer.Context(windowSize, model, type == null ? null : resolution.vector(), weight, normalization,
            field);
    }

    /** With the user resolved: for tests. */
    MfPersonalizeRescorerBuilder resolved(float[] vector) {
        return new MfPersonalizeRescorerBuilder(this, new Resolution(vector), null);
    }

    public String model() {
        return model;
    }

    public UserSpec userSpec() {
        return userSpec;
    }

    public float weight() {
        return weight;
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public TransportVersion getMinimalSupportedVersion() {
        return EsVersionCompat.V_9_0_0;
    }

    @Override
    public boolean equals(Object obj) {
        if (super.equals(obj) == false) {
            return false;
        }
        MfPersonalizeRescorerBuilder other = (MfPersonalizeRescorerBuilder) obj;
        return model.equals(other.model)
            && userSpec.equals(other.userSpec)
            && weight == other.weight
            && normalization == other.normalization
            && field.equals(other.field)
            && Objects.equals(resolution == null, other.resolution == null)
            && (resolution == null || Arrays.equals(resolution.vector(), other.resolution.vector()))
            && Objects.equals(pending, other.pending);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), model, userSpec, weight, normalization, field, resolution == null ? null : Arrays.hashCode(
            resolution.vector()), pending);
    }
}
