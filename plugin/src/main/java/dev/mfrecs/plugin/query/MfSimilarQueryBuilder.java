package dev.mfrecs.plugin.query;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.stats.MfStats;
import dev.mfrecs.plugin.model.ItemVectors;

import org.apache.lucene.search.Query;
import org.apache.lucene.util.SetOnce;
import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.TransportVersion;
import dev.mfrecs.plugin.compat.EsVersionCompat;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.functionscore.ScoreFunctionBuilders;
import org.elasticsearch.index.query.functionscore.FunctionScoreQueryBuilder;
import org.elasticsearch.index.query.BoolQueryBuilder;
import org.elasticsearch.common.logging.HeaderWarning;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * {@code mf_similar}: items similar to one or more given items ("customers who bought this also bought"), as a query
 * on a model's items alias. The coordinating rewrite reads the given items' vectors, averages them, and becomes a
 * {@code knn} query that excludes the given items and applies the caller's filters. It ranks by cosine on
 * {@code vector_cosine} by default (the raw inner product favours items with large norms, i.e. popular ones); set
 * {@code field} to {@code vector} for inner product.
 */
public final class MfSimilarQueryBuilder extends AbstractQueryBuilder<MfSimilarQueryBuilder> {

    public static final String NAME = "mf_similar";
    static final int MAX_ITEMS = 100;

    private static final ObjectParser<MfRequestFields, MfServices> PARSER = new ObjectParser<>(NAME, MfRequestFields::new);

    static {
        PARSER.declareString((p, v) -> p.model = v, MfRequestFields.MODEL);
        PARSER.declareStringArray((p, v) -> p.items = v, MfRequestFields.ITEMS);
        MfRequestFields.declareKnn(PARSER, NAME);
        MfRequestFields.declareControls(PARSER, NAME);
        MfRequestFields.declareFallbacks(PARSER);
    }

    /** The node's components (not part of the query: excluded from equality and the wire). */
    private final MfServices services;
    private final String model;
    private final List<String> items;
    private final String field;
    private final int k;
    private final int numCandidates;
    private final List<QueryBuilder> filters;
    private final BusinessControls controls;
    private final OnEmpty onEmpty;
    private final Backfill.Mode backfill;
    private final Supplier<QueryBuilder> rewritten;

    public MfSimilarQueryBuilder(MfServices services, String model, List<String> items, String field, Integer k, Integer numCandidates,
                                 List<QueryBuilder> filters) {
        this(services, model, items, field, k, numCandidates, filters, null, null, null);
    }

    public MfSimilarQueryBuilder(MfServices services, String model, List<String> items, String field, Integer k, Integer numCandidates,
                                 List<QueryBuilder> filters, BusinessControls controls) {
        this(services, model, items, field, k, numCandidates, filters, controls, null, null);
    }

    public MfSimilarQueryBuilder(MfServices services, String model, List<String> items, String field, Integer k, Integer numCandidates,
                                 List<QueryBuilder> filters, BusinessControls controls, OnEmpty onEmpty, Backfill.Mode backfill) {
        this.services = Objects.requireNonNull(services);
        MfRequestFields.requireModel(NAME, model);
        if (items == null || items.isEmpty()) {
            throw new IllegalArgumentException("[" + NAME + "] requires at least one item in [items]");
        }
        if (items.size() > MAX_ITEMS) {
            throw new IllegalArgumentException("[" + NAME + "] [items] has [" + items.size() + "] items, more than [" + MAX_ITEMS + "]");
        }
        this.model = model;
        if (items.stream().anyMatch(i -> i == null || i.isEmpty())) {
            throw new IllegalArgumentException("[" + NAME + "] [items] ids must not be empty");
        }
        this.items = List.copyOf(items);
        this.field = MfRequestFields.requireVectorField(NAME, field == null ? ModelIndices.VECTOR_COSINE : field);
        this.k = k == null ? KnnLimits.DEFAULT_K : k;
        this.numCandidates = numCandidates == null ? KnnLimits.defaultNumCandidates(this.k) : numCandidates;
        KnnLimits.validate(NAME, this.k, this.numCandidates);
        this.filters = filters == null ? List.of() : List.copyOf(filters);
        this.controls = controls == null ? BusinessControls.NONE : controls;
        this.onEmpty = onEmpty == null ? OnEmpty.POPULAR : onEmpty;
        this.backfill = backfill == null ? Backfill.Mode.NONE : backfill;
        this.rewritten = null;
    }

    private MfSimilarQueryBuilder(MfSimilarQueryBuilder other, Supplier<QueryBuilder> rewritten) {
        this.services = other.services;
        this.model = other.model;
        this.items = other.items;
        this.field = other.field;
        this.k = other.k;
        this.numCandidates = other.numCandidates;
        this.filters = other.filters;
        this.controls = other.controls;
        this.onEmpty = other.onEmpty;
        this.backfill = other.backfill;
        this.rewritten = rewritten;
        this.boost = other.boost;
        this.queryName = other.queryName;
    }

    public MfSimilarQueryBuilder(StreamInput in, MfServices services) throws IOException {
        super(in);
        this.services = services;
        this.model = in.readString();
        this.items = in.readStringCollectionAsList();
        this.field = in.readString();
        this.k = in.readVInt();
        this.numCandidates = in.readVInt();
        this.filters = readQueries(in);
        this.controls = new BusinessControls(in);
        this.onEmpty = in.readEnum(OnEmpty.class);
        this.backfill = in.readEnum(Backfill.Mode.class);
        this.rewritten = null;
    }

    public static MfSimilarQueryBuilder fromXContent(XContentParser parser, MfServices services) throws IOException {
        return MfRequestFields.parse(PARSER, parser, services, f -> new MfSimilarQueryBuilder(services, f.model, f.items, f.field, f.k,
            f.numCandidates, f.filters, f.controls.build(NAME), f.onEmpty == null ? null : OnEmpty.parse(NAME, f.onEmpty),
            f.backfill == null ? null : Backfill.Mode.parse(NAME, f.backfill)).boost(f.boost).queryName(f.queryName));
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        if (rewritten != null) {
            throw new IllegalStateException("[" + NAME + "] must be rewritten before it is sent to another node");
        }
        out.writeString(model);
        out.writeStringCollection(items);
        out.writeString(field);
        out.writeVInt(k);
        out.writeVInt(numCandidates);
        writeQueries(out, filters);
        controls.writeTo(out);
        out.writeEnum(onEmpty);
        out.writeEnum(backfill);
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.field(MfRequestFields.MODEL.getPreferredName(), model);
        builder.stringListField(MfRequestFields.ITEMS.getPreferredName(), items);
        builder.field(MfRequestFields.FIELD.getPreferredName(), field);
        builder.field(MfRequestFields.K.getPreferredName(), k);
        builder.field(MfRequestFields.NUM_CANDIDATES.getPreferredName(), numCandidates);
        if (filters.isEmpty() == false) {
            builder.xContentList(MfRequestFields.FILTER.getPreferredName(), filters);
        }
        controls.toXContent(builder);
        builder.field(MfRequestFields.ON_EMPTY.getPreferredName(), onEmpty.toString());
        builder.field(MfRequestFields.BACKFILL.getPreferredName(), backfill.toString());
        MfRequestFields.boostAndQueryName(builder, controls, boost, queryName);
        builder.endObject();
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) {
        if (rewritten != null) {
            QueryBuilder result = rewritten.get();
            return result == null ? this : result;
        }
        SetOnce<QueryBuilder> result = new SetOnce<>();
        ResolvedIndices searched = context.getResolvedIndices();
        context.registerAsyncAction((client, listener) -> ItemVectors.resolveAndRead(services.models(), client, model, items, searched,
            services.stats().track(MfStats.Api.MF_SIMILAR, listener.delegateFailureAndWrap((l, read) -> {
                ItemVectors.Known known = read.known();
                if (known.missing().isEmpty() == false) {
                    HeaderWarning.addWarning("[{}] ignored items not in model [{}] version [{}]: {}", NAME, model, read.model().version(),
                        known.missing());
                }
                if (known.items().isEmpty()) {
                    result.set(onEmpty(read.model()));
                    l.onResponse(null);
                } else if (controls.isEmpty()) {
                    result.set(withBackfill(KnnExcludingQueryBuilder.knn(field, mean(read.model(), known), k, numCandidates, filters,
                        items)).boost(boost).queryName(queryName));
                    l.onResponse(null);
                } else {
                    float[] mean = mean(read.model(), known);
                    ControlledTargets.forItems(services, client, new ControlledTargets.Knn(NAME, read.model(), ControlledTargets.itemsIndex(
                        searched, read.model()), field, mean, k, numCandidates, filters, items, controls, boost, queryName), known.items(),
                        known.vectors(), mean, l.map(q -> {
                            result.set(withBackfill(q));
                            return null;
                        }));
                }
            }))));
        return new MfSimilarQueryBuilder(this, result::get);
    }

    /** With none of the items known: the popular ranking (filters applied, the items excluded), or a 404 naming them. */
    private QueryBuilder onEmpty(ModelMetadata metadata) {
        if (onEmpty == OnEmpty.ERROR) {
            throw new ResourceNotFoundException("[{}] none of the items {} are in model [{}] version [{}]", NAME, items, model,
                metadata.version());
        }
        BoolQueryBuilder popular = QueryBuilders.boolQuery();
        filters.forEach(popular::filter);
        popular.mustNot(QueryBuilders.idsQuery().addIds(items.toArray(String[]::new)));
        popular.must(new FunctionScoreQueryBuilder(ScoreFunctionBuilders.fieldValueFactorFunction(ModelIndices.POPULARITY).missing(0)));
        return popular.boost(boost).queryName(queryName);
    }

    /** {@code ranked} with the popular fill behind it when {@code backfill} asks for it ({@link Backfill}). */
    private QueryBuilder withBackfill(QueryBuilder ranked) {
        return backfill == Backfill.Mode.POPULAR ? Backfill.around(ranked, filters, items, false) : ranked;
    }

    /** The query vector: the items' vectors averaged (unit vectors under cosine, so each item counts equally). */
    private float[] mean(ModelMetadata metadata, ItemVectors.Known known) {
        float[] vectors = known.vectors();
        int n = known.items().size();
        int d = metadata.vectorDims();
        // Under cosine each item counts equally: average the unit vectors, not the raw ones.
        boolean cosine = ModelIndices.VECTOR_COSINE.equals(field);
        float[] mean = new float[d];
        for (int i = 0; i < n; i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += vectors[i * d + j] * vectors[i * d + j];
            }
            double scale = cosine && norm > 0 ? 1 / Math.sqrt(norm) : 1;
            for (int j = 0; j < d; j++) {
                mean[j] += (float) (vectors[i * d + j] * scale / n);
            }
        }
        return mean;
    }

    @Override
    protected Query doToQuery(SearchExecutionContext context) {
        throw new IllegalStateException("[" + NAME + "] must be rewritten on the coordinating node first");
    }

    @Override
    protected boolean doEquals(MfSimilarQueryBuilder other) {
        return model.equals(other.model)
            && items.equals(other.items)
            && field.equals(other.field)
            && k == other.k
            && numCandidates == other.numCandidates
            && filters.equals(other.filters)
            && controls.equals(other.controls)
            && onEmpty == other.onEmpty
            && backfill == other.backfill
            && Objects.equals(rewritten, other.rewritten);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(model, items, field, k, numCandidates, filters, controls, onEmpty, backfill, rewritten);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public TransportVersion getMinimalSupportedVersion() {
        return EsVersionCompat.V_9_0_0;
    }
}
