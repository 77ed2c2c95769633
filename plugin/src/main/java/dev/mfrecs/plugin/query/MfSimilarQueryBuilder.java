package dev.mfrecs.plugin.query;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.stats.MfStats;
import dev.mfrecs.plugin.model.ItemVectors;

import org.apache.lucene.search.Query;
import org.apache.lucene.util.SetOnce;
import org.elasticsearch.TransportVersion;
import dev.mfrecs.plugin.compat.EsVersionCompat;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
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
    }

    /** The node's components (not part of the query: excluded from equality and the wire). */
    private final MfServices services;
    private final String model;
    private final List<String> items;
    private final String field;
    private final int k;
    private final int numCandidates;
    private final List<QueryBuilder> filters;
    private final Supplier<QueryBuilder> rewritten;

    public MfSimilarQueryBuilder(MfServices services, String model, List<String> items, String field, Integer k, Integer numCandidates,
                                 List<QueryBuilder> filters) {
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
        this.rewritten = null;
    }

    public static MfSimilarQueryBuilder fromXContent(XContentParser parser, MfServices services) throws IOException {
        return MfRequestFields.parse(PARSER, parser, services, f -> new MfSimilarQueryBuilder(services, f.model, f.items, f.field, f.k,
            f.numCandidates, f.filters).boost(f.boost).queryName(f.queryName));
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
        boostAndQueryNameToXContent(builder);
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
                result.set(toKnn(read.model(), read.vectors()));
                l.onResponse(null);
            }))));
        return new MfSimilarQueryBuilder(this, result::get);
    }

    private QueryBuilder toKnn(ModelMetadata metadata, float[] vectors) {
        int d = metadata.vectorDims();
        // Under cosine each item counts equally: average the unit vectors, not the raw ones.
        boolean cosine = ModelIndices.VECTOR_COSINE.equals(field);
        float[] mean = new float[d];
        for (int i = 0; i < items.size(); i++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                norm += vectors[i * d + j] * vectors[i * d + j];
            }
            double scale = cosine && norm > 0 ? 1 / Math.sqrt(norm) : 1;
            for (int j = 0; j < d; j++) {
                mean[j] += (float) (vectors[i * d + j] * scale / items.size());
            }
        }
        return KnnExcludingQueryBuilder.knn(field, mean, k, numCandidates, filters, items).boost(boost).queryName(queryName);
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
            && Objects.equals(rewritten, other.rewritten);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(model, items, field, k, numCandidates, filters, rewritten);
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
