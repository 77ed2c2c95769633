package dev.mfrecs.plugin.query;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.plugin.compat.EsVersionCompat;
import dev.mfrecs.plugin.model.LeafVectors;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.FilterWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Weight;
import org.elasticsearch.TransportVersion;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.MatchNoneQueryBuilder;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryRewriteContext;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An mf query's target with {@code because} attached: matches and scores exactly as the wrapped query, and carries the
 * {@link Because} decomposition to the shards, where {@link BecauseFetchSubPhase} adds each hit's top contributors to its
 * {@code fields} and {@code explain} adds the whole decomposition to the hit's explanation. Internal: registered for the wire only.
 */
public final class BecauseQueryBuilder extends AbstractQueryBuilder<BecauseQueryBuilder> {

    public static final String NAME = "mf_because";

    private final QueryBuilder query;
    private final Because because;

    BecauseQueryBuilder(QueryBuilder query, Because because) {
        this.query = Objects.requireNonNull(query);
        this.because = Objects.requireNonNull(because);
    }

    public BecauseQueryBuilder(StreamInput in) throws IOException {
        super(in);
        this.query = in.readNamedWriteable(QueryBuilder.class);
        this.because = new Because(in);
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeNamedWriteable(query);
        because.writeTo(out);
    }

    QueryBuilder query() {
        return query;
    }

    Because because() {
        return because;
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.field("query", query);
        builder.stringListField("items", because.items());
        builder.field("top", because.n());
        boostAndQueryNameToXContent(builder);
        builder.endObject();
    }

    @Override
    protected QueryBuilder doRewrite(QueryRewriteContext context) throws IOException {
        QueryBuilder rewritten = query.rewrite(context);
        if (rewritten instanceof MatchNoneQueryBuilder) {
            return rewritten;
        }
        return rewritten == query ? this : new BecauseQueryBuilder(rewritten, because).boost(boost).queryName(queryName);
    }

    @Override
    protected Query doToQuery(SearchExecutionContext context) throws IOException {
        return new BecauseQuery(query.toQuery(context), because);
    }

    @Override
    protected boolean doEquals(BecauseQueryBuilder other) {
        return query.equals(other.query) && because.equals(other.because);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(query, because);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public TransportVersion getMinimalSupportedVersion() {
        return EsVersionCompat.V_9_0_0;
    }

    /** The Lucene side: the wrapped query, plus the decomposition in explanations and for the fetch sub-phase to find. */
    static final class BecauseQuery extends Query {
        final Query query;
        final Because because;

        BecauseQuery(Query query, Because because) {
            this.query = query;
            this.because = because;
        }

        @Override
        public Query rewrite(IndexSearcher searcher) throws IOException {
            Query rewritten = query.rewrite(searcher);
            return rewritten == query ? this : new BecauseQuery(rewritten, because);
        }

        @Override
        public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
            return new FilterWeight(this, query.createWeight(searcher, scoreMode, boost)) {
                @Override
                public Explanation explain(LeafReaderContext context, int doc) throws IOException {
                    Explanation inner = in.explain(context, doc);
                    if (inner.isMatch() == false) {
                        return inner;
                    }
                    float[] y = LeafVectors.of(context.reader(), ModelIndices.VECTOR, because.dims(), NAME).vector(doc);
                    List<Explanation> details = new ArrayList<>(Arrays.asList(inner.getDetails()));
                    details.add(because.explain(y == null ? null : y.clone()));
                    return Explanation.match(inner.getValue(), inner.getDescription(), details);
                }
            };
        }

        @Override
        public void visit(QueryVisitor visitor) {
            query.visit(visitor.getSubVisitor(BooleanClause.Occur.MUST, this));
        }

        @Override
        public String toString(String field) {
            return "BecauseQuery[" + query.toString(field) + ", " + because + "]";
        }

        @Override
        public boolean equals(Object obj) {
            return sameClassAs(obj) && query.equals(((BecauseQuery) obj).query) && because.equals(((BecauseQuery) obj).because);
        }

        @Override
        public int hashCode() {
            return Objects.hash(classHash(), query, because);
        }
    }
}
