package dev.mfrecs.plugin.query;

import dev.mfrecs.plugin.compat.EsVersionCompat;

import org.apache.lucene.search.Query;
import org.elasticsearch.TransportVersion;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.index.fielddata.IndexFieldData;
import org.elasticsearch.index.fielddata.IndexNumericFieldData;
import org.elasticsearch.index.mapper.MappedFieldType;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.MatchNoneQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.common.lucene.search.function.CombineFunction;
import org.elasticsearch.common.lucene.search.function.FunctionScoreQuery;
import org.elasticsearch.index.query.functionscore.FunctionScoreQueryBuilder;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The candidates search's query when an mf query carries {@code boost}: the kNN candidates with their scores multiplied by each
 * boost's factor, computed by Elasticsearch's own {@code function_score} (field value factor, filter weight). Before that it checks,
 * on each shard, that a boost's field is numeric there, so a keyword or text field is a 400 naming the API, the parameter and the
 * field rather than a failure inside the function. Internal: registered for the wire only.
 */
public final class BoostedCandidatesQueryBuilder extends AbstractQueryBuilder<BoostedCandidatesQueryBuilder> {

    public static final String NAME = "mf_boosted_candidates";

    private final String api;
    private final QueryBuilder candidates;
    private final List<ScoreBoost> boosts;

    BoostedCandidatesQueryBuilder(String api, QueryBuilder candidates, List<ScoreBoost> boosts) {
        this.api = Objects.requireNonNull(api);
        this.candidates = Objects.requireNonNull(candidates);
        this.boosts = List.copyOf(boosts);
    }

    public BoostedCandidatesQueryBuilder(StreamInput in) throws IOException {
        super(in);
        this.api = in.readString();
        this.candidates = in.readNamedWriteable(QueryBuilder.class);
        this.boosts = in.readCollectionAsImmutableList(ScoreBoost::new);
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeString(api);
        out.writeNamedWriteable(candidates);
        out.writeCollection(boosts);
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.field("api", api);
        builder.field("candidates", candidates);
        builder.xContentList("boost", boosts);
        boostAndQueryNameToXContent(builder);
        builder.endObject();
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
        QueryBuilder rewritten = candidates.rewrite(context);
        if (rewritten instanceof MatchNoneQueryBuilder) {
            return rewritten;
        }
        List<ScoreBoost> newBoosts = new ArrayList<>(boosts.size());
        boolean changed = rewritten != candidates;
        for (ScoreBoost b : boosts) {
            if (b.filter() != null) {
                QueryBuilder f = b.filter().rewrite(context);
                changed |= f != b.filter();
                newBoosts.add(f == b.filter() ? b : ScoreBoost.byFilter(f, b.weight()));
            } else {
                newBoosts.add(b);
            }
        }
        return changed ? new BoostedCandidatesQueryBuilder(api, rewritten, newBoosts).boost(boost).queryName(queryName) : this;
    }

    @Override
    protected Query doToQuery(SearchExecutionContext context) throws IOException {
        for (ScoreBoost b : boosts) {
            if (b.field() != null) {
                requireNumeric(context, b.field());
            }
        }
        FunctionScoreQueryBuilder functions = new FunctionScoreQueryBuilder(candidates, boosts.stream().map(ScoreBoost::toFunction)
            .toArray(FunctionScoreQueryBuilder.FilterFunctionBuilder[]::new)).scoreMode(FunctionScoreQuery.ScoreMode.MULTIPLY)
            .boostMode(CombineFunction.MULTIPLY);
        return functions.toQuery(context);
    }

    private void requireNumeric(SearchExecutionContext context, String field) {
        MappedFieldType type = context.getFieldType(field);
        if (type == null) {
            return; // unmapped here: every candidate gets the boost's [missing]
        }
        IndexFieldData<?> data;
        try {
            data = context.getForField(type, MappedFieldType.FielddataOperation.SEARCH);
        } catch (IllegalArgumentException e) {
            data = null;
        }
        if (data instanceof IndexNumericFieldData == false) {
            throw new IllegalArgumentException("[" + api + "] [boost] field [" + field + "] must be numeric, got type [" + type.typeName()
                + "] in index [" + context.index().getName() + "]");
        }
    }

    @Override
    protected boolean doEquals(BoostedCandidatesQueryBuilder other) {
        return api.equals(other.api) && candidates.equals(other.candidates) && boosts.equals(other.boosts);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(api, candidates, boosts);
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
