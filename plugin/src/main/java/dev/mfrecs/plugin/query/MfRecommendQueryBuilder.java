package dev.mfrecs.plugin.query;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.stats.MfStats;
import dev.mfrecs.plugin.user.ResolvedUser;
import dev.mfrecs.plugin.user.UserResolver;
import dev.mfrecs.plugin.user.UserSpec;

import org.apache.lucene.search.Query;
import org.apache.lucene.util.SetOnce;
import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.TransportVersion;
import dev.mfrecs.plugin.compat.EsVersionCompat;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.index.query.functionscore.FunctionScoreQueryBuilder;
import org.elasticsearch.index.query.functionscore.ScoreFunctionBuilders;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code mf_recommend}: personalized recommendations as a query on a model's items alias. The coordinating rewrite
 * reads the model and the user's vector asynchronously (stored, or folded in from a history) and turns this query into
 * Elasticsearch's own {@code knn} query, with the caller's filters and the seen items excluded so that k results still come
 * back. A user with nothing to fold in gets {@code on_empty}: the popular ranking (default) or a 404 naming the user.
 * Business controls ({@link BusinessControls}: boost, diversity, dither, because) are applied by {@link ControlledTargets}.
 */
public final class MfRecommendQueryBuilder extends AbstractQueryBuilder<MfRecommendQueryBuilder> {

    public static final String NAME = "mf_recommend";

    private static final ObjectParser<MfRequestFields, MfServices> PARSER = new ObjectParser<>(NAME, MfRequestFields::new);

    static {
        MfRequestFields.declareModelAndUser(PARSER, NAME);
        MfRequestFields.declareKnn(PARSER, NAME);
        PARSER.declareBoolean((p, v) -> p.excludeSeen = v, MfRequestFields.EXCLUDE_SEEN);
        MfRequestFields.declareFallbacks(PARSER);
        MfRequestFields.declareControls(PARSER, NAME);
    }

    /** The node's components (not part of the query: excluded from equality and the wire). */
    private final MfServices services;
    private final String model;
    private final UserSpec userSpec;
    private final String field;
    private final int k;
    private final int numCandidates;
    private final List<QueryBuilder> filters;
    private final boolean excludeSeen;
    private final OnEmpty onEmpty;
    private final BusinessControls controls;
    private final Backfill.Mode backfill;
    private final Supplier<QueryBuilder> rewritten;

    public MfRecommendQueryBuilder(MfServices services, String model, UserSpec userSpec, String field, Integer k, Integer numCandidates,
                                   List<QueryBuilder> filters, Boolean excludeSeen, OnEmpty onEmpty) {
        this(services, model, userSpec, field, k, numCandidates, filters, excludeSeen, onEmpty, null, null);
    }

    public MfRecommendQueryBuilder(MfServices services, String model, UserSpec userSpec, String field, Integer k, Integer numCandidates,
                                   List<QueryBuilder> filters, Boolean excludeSeen, OnEmpty onEmpty, BusinessControls controls) {
        this(services, model, userSpec, field, k, numCandidates, filters, excludeSeen, onEmpty, controls, null);
    }

    public MfRecommendQueryBuilder(MfServices services, String model, UserSpec userSpec, String field, Integer k, Integer numCandidates,
                                   List<QueryBuilder> filters, Boolean excludeSeen, OnEmpty onEmpty, BusinessControls controls,
                                   Backfill.Mode backfill) {
        this.services = Objects.requireNonNull(services);
        MfRequestFields.requireModel(NAME, model);
        String userError = Objects.requireNonNull(userSpec).validate(NAME, services.settings().maxHistory());
        if (userError != null) {
            throw new IllegalArgumentException(userError);
        }
        this.model = model;
        this.userSpec = userSpec;
        this.field = MfRequestFields.requireVectorField(NAME, field == null ? ModelIndices.VECTOR : field);
        this.k = k == null ? KnnLimits.DEFAULT_K : k;
        this.numCandidates = numCandidates == null ? KnnLimits.defaultNumCandidates(this.k) : numCandidates;
        KnnLimits.validate(NAME, this.k, this.numCandidates);
        this.filters = filters == null ? List.of() : List.copyOf(filters);
        this.excludeSeen = excludeSeen == null || excludeSeen;
        this.onEmpty = onEmpty == null ? OnEmpty.POPULAR : onEmpty;
        this.controls = controls == null ? BusinessControls.NONE : controls;
        this.backfill = backfill == null ? Backfill.Mode.NONE : backfill;
        this.rewritten = null;
    }

    private MfRecommendQueryBuilder(MfRecommendQueryBuilder other, Supplier<QueryBuilder> rewritten) {
        this.services = other.services;
        this.model = other.model;
        this.userSpec = other.userSpec;
        this.field = other.field;
        this.k = other.k;
        this.numCandidates = other.numCandidates;
        this.filters = other.filters;
        this.excludeSeen = other.excludeSeen;
        this.onEmpty = other.onEmpty;
        this.controls = other.controls;
        this.backfill = other.backfill;
        this.rewritten = rewritten;
        this.boost = other.boost;
        this.queryName = other.queryName;
    }

    public MfRecommendQueryBuilder(StreamInput in, MfServices services) throws IOException {
        super(in);
        this.services = services;
        this.model = in.readString();
        this.userSpec = new UserSpec(in);
        this.field = in.readString();
        this.k = in.readVInt();
        this.numCandidates = in.readVInt();
        this.filters = readQueries(in);
        this.excludeSeen = in.readBoolean();
        this.onEmpty = in.readEnum(OnEmpty.class);
        this.controls = new BusinessControls(in);
        this.backfill = in.readEnum(Backfill.Mode.class);
        this.rewritten = null;
    }

    public static MfRecommendQueryBuilder fromXContent(XContentParser parser, MfServices services) throws IOException {
        return MfRequestFields.parse(PARSER, parser, services, f -> new MfRecommendQueryBuilder(services, f.model, f.userSpec(NAME),
            f.field, f.k, f.numCandidates, f.filters, f.excludeSeen, f.onEmpty == null ? null : OnEmpty.parse(NAME, f.onEmpty),
            f.controls.build(NAME), f.backfill == null ? null : Backfill.Mode.parse(NAME, f.backfill))
            .boost(f.boost).queryName(f.queryName));
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        if (rewritten != null) {
            throw new IllegalStateException("[" + NAME + "] must be rewritten before it is sent to another node");
        }
        out.writeString(model);
        userSpec.writeTo(out);
        out.writeString(field);
        out.writeVInt(k);
        out.writeVInt(numCandidates);
        writeQueries(out, filters);
        out.writeBoolean(excludeSeen);
        out.writeEnum(onEmpty);
        controls.writeTo(out);
        out.writeEnum(backfill);
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.field(MfRequestFields.MODEL.getPreferredName(), model);
        MfRequestFields.userToXContent(builder, userSpec);
        builder.field(MfRequestFields.FIELD.getPreferredName(), field);
        builder.field(MfRequestFields.K.getPreferredName(), k);
        builder.field(MfRequestFields.NUM_CANDIDATES.getPreferredName(), numCandidates);
        if (filters.isEmpty() == false) {
            builder.xContentList(MfRequestFields.FILTER.getPreferredName(), filters);
        }
        builder.field(MfRequestFields.EXCLUDE_SEEN.getPreferredName(), excludeSeen);
        builder.field(MfRequestFields.ON_EMPTY.getPreferredName(), onEmpty.toString());
        controls.toXContent(builder);
        builder.field(MfRequestFields.BACKFILL.getPreferredName(), backfill.toString());
        MfRequestFields.boostAndQueryName(builder, controls, boost, queryName);
        builder.endObject();
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
        if (rewritten != null) {
            QueryBuilder result = rewritten.get();
            return result == null ? this : result;
        }
        SetOnce<QueryBuilder> result = new SetOnce<>();
        ResolvedIndices searched = context.getResolvedIndices();
        context.registerAsyncAction((client, listener) -> new UserResolver(services).resolveModelAndUser(client, model, userSpec, searched,
            userSpec.freshness(true, excludeSeen),
            services.stats().track(MfStats.Api.MF_RECOMMEND, listener.delegateFailureAndWrap((l, resolved) -> {
                services.stats().user(MfStats.UserOutcome.of(resolved.user().source(), resolved.user().empty()));
                if (resolved.user().empty() && onEmpty == OnEmpty.POPULAR) {
                    services.stats().fallbackToPopular();
                }
                if (controls.isEmpty() || resolved.user().empty()) {
                    result.set(toTargetQuery(resolved.model(), resolved.user()));
                    l.onResponse(null);
                } else {
                    checkDims(resolved.model(), resolved.user());
                    ControlledTargets.forUser(services, client, new ControlledTargets.Knn(NAME, resolved.model(), ControlledTargets
                        .itemsIndex(searched, resolved.model()), field, resolved.user().vector(), k, numCandidates, filters, excludeSeen
                            ? resolved.user().seenItems() : List.of(), controls, boost, queryName), resolved.user(), l.map(q -> {
                                result.set(withBackfill(q, excludeSeen ? resolved.user().seenItems() : List.of()));
                                return null;
                            }));
                }
            }))));
        return new MfRecommendQueryBuilder(this, result::get);
    }

    /** The knn query (or the popularity fallback) this query stands for once the user's vector is known. */
    QueryBuilder toTargetQuery(ModelMetadata metadata, ResolvedUser user) {
        if (user.empty()) {
            if (onEmpty == OnEmpty.ERROR) {
                throw new ResourceNotFoundException("[{}] no usable history for [{}] in model [{}] (ignored items {})", NAME,
                    userSpec.describe(), model, user.ignoredItems());
            }
            BoolQueryBuilder popular = QueryBuilders.boolQuery();
            filters.forEach(popular::filter);
            if (excludeSeen && user.seenItems().isEmpty() == false) {
                popular.mustNot(QueryBuilders.idsQuery().addIds(user.seenItems().toArray(String[]::new)));
            }
            popular.must(new FunctionScoreQueryBuilder(ScoreFunctionBuilders.fieldValueFactorFunction(ModelIndices.POPULARITY)
                .missing(0)));
            return popular.boost(boost).queryName(queryName);
        }
        checkDims(metadata, user);
        List<String> excluded = excludeSeen ? user.seenItems() : List.of();
        return withBackfill(KnnExcludingQueryBuilder.knn(field, user.vector(), k, numCandidates, filters, excluded), excluded).boost(boost)
            .queryName(queryName);
    }

    /** {@code ranked} with the popular fill behind it when {@code backfill} asks for it ({@link Backfill}). */
    private QueryBuilder withBackfill(QueryBuilder ranked, List<String> excluded) {
        return backfill == Backfill.Mode.POPULAR ? Backfill.around(ranked, filters, excluded, true) : ranked;
    }

    private void checkDims(ModelMetadata metadata, ResolvedUser user) {
        if (user.vector().length != metadata.vectorDims()) {
            throw new IllegalArgumentException("[" + NAME + "] user vector has [" + user.vector().length + "] dims, model [" + model
                + "] has [" + metadata.vectorDims() + "]");
        }
    }

    @Override
    protected Query doToQuery(SearchExecutionContext context) {
        throw new IllegalStateException("[" + NAME + "] must be rewritten on the coordinating node first");
    }

    @Override
    protected boolean doEquals(MfRecommendQueryBuilder other) {
        return model.equals(other.model)
            && userSpec.equals(other.userSpec)
            && field.equals(other.field)
            && k == other.k
            && numCandidates == other.numCandidates
            && filters.equals(other.filters)
            && excludeSeen == other.excludeSeen
            && onEmpty == other.onEmpty
            && controls.equals(other.controls)
            && backfill == other.backfill
            && Objects.equals(rewritten, other.rewritten);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(model, userSpec, field, k, numCandidates, filters, excludeSeen, onEmpty, controls, backfill, rewritten);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public TransportVersion getMinimalSupportedVersion() {
        return EsVersionCompat.V_9_0_0;
    }

    public String model() {
        return model;
    }

    public UserSpec userSpec() {
        return userSpec;
    }
}
