package dev.mfrecs.plugin.query;

import dev.mfrecs.plugin.compat.EsVersionCompat;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.elasticsearch.TransportVersion;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.index.mapper.IdFieldMapper;
import org.elasticsearch.index.mapper.Uid;
import org.elasticsearch.index.query.AbstractQueryBuilder;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What an mf query with business controls rewrites to once the coordinating node has ranked its candidates: these item ids of
 * this concrete items index, with these scores (documents of any other index match nothing). The ids are looked up in each
 * segment's {@code _id} terms, so the shard does no kNN and no scoring of its own. Internal: registered for the wire only.
 */
public final class RankedIdsQueryBuilder extends AbstractQueryBuilder<RankedIdsQueryBuilder> {

    public static final String NAME = "mf_ranked_ids";

    private final String index;
    private final List<String> ids;
    private final float[] scores;
    private final String description;

    RankedIdsQueryBuilder(String index, List<String> ids, float[] scores, String description) {
        if (ids.size() != scores.length) {
            throw new IllegalArgumentException("[" + NAME + "] [" + ids.size() + "] ids but [" + scores.length + "] scores");
        }
        this.index = Objects.requireNonNull(index);
        this.ids = List.copyOf(ids);
        this.scores = scores.clone();
        this.description = Objects.requireNonNull(description);
    }

    public RankedIdsQueryBuilder(StreamInput in) throws IOException {
        super(in);
        this.index = in.readString();
        this.ids = in.readStringCollectionAsImmutableList();
        this.scores = in.readFloatArray();
        this.description = in.readString();
    }

    @Override
    protected void doWriteTo(StreamOutput out) throws IOException {
        out.writeString(index);
        out.writeStringCollection(ids);
        out.writeFloatArray(scores);
        out.writeString(description);
    }

    List<String> ids() {
        return ids;
    }

    float[] scores() {
        return scores.clone();
    }

    String index() {
        return index;
    }

    @Override
    protected void doXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject(NAME);
        builder.field("index", index);
        builder.stringListField("ids", ids);
        builder.array("scores", scores);
        builder.field("description", description);
        boostAndQueryNameToXContent(builder);
        builder.endObject();
    }

    @Override
    protected Query doToQuery(SearchExecutionContext context) {
        if (context.index().getName().equals(index) == false || ids.isEmpty()) {
            return new MatchNoDocsQuery("[" + NAME + "] ranks documents of [" + index + "] only");
        }
        BytesRef[] terms = new BytesRef[ids.size()];
        for (int i = 0; i < terms.length; i++) {
            terms[i] = Uid.encodeId(ids.get(i));
        }
        return new IdsWithScores(terms, scores, description);
    }

    @Override
    protected boolean doEquals(RankedIdsQueryBuilder other) {
        return index.equals(other.index) && ids.equals(other.ids) && Arrays.equals(scores, other.scores) && description.equals(
            other.description);
    }

    @Override
    protected int doHashCode() {
        return Objects.hash(index, ids, Arrays.hashCode(scores), description);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public TransportVersion getMinimalSupportedVersion() {
        return EsVersionCompat.V_9_0_0;
    }

    /** The Lucene side: on rewrite, the ids' live documents in this reader become a {@link ScoreDocsQuery}. */
    static final class IdsWithScores extends Query {
        private final BytesRef[] terms;
        private final float[] scores;
        private final String description;

        IdsWithScores(BytesRef[] terms, float[] scores, String description) {
            this.terms = terms;
            this.scores = scores;
            this.description = description;
        }

        @Override
        public Query rewrite(IndexSearcher searcher) throws IOException {
            int[] docs = new int[terms.length];
            float[] found = new float[terms.length];
            boolean[] done = new boolean[terms.length];
            int size = 0;
            for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
                Terms field = leaf.reader().terms(IdFieldMapper.NAME);
                if (field == null) {
                    continue;
                }
                TermsEnum te = field.iterator();
                Bits live = leaf.reader().getLiveDocs();
                PostingsEnum postings = null;
                for (int i = 0; i < terms.length; i++) {
                    if (done[i] || te.seekExact(terms[i]) == false) {
                        continue;
                    }
                    postings = te.postings(postings, PostingsEnum.NONE);
                    for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = postings.nextDoc()) {
                        if (live == null || live.get(doc)) {
                            docs[size] = leaf.docBase + doc;
                            found[size] = scores[i];
                            size++;
                            done[i] = true;
                            break;
                        }
                    }
                }
            }
            return new ScoreDocsQuery(searcher.getIndexReader(), Arrays.copyOf(docs, size), Arrays.copyOf(found, size), description);
        }

        @Override
        public String toString(String field) {
            return "IdsWithScores[" + terms.length + " ids]";
        }

        @Override
        public void visit(QueryVisitor visitor) {
            visitor.visitLeaf(this);
        }

        @Override
        public boolean equals(Object obj) {
            return sameClassAs(obj) && Arrays.equals(terms, ((IdsWithScores) obj).terms)
                && Arrays.equals(scores, ((IdsWithScores) obj).scores);
        }

        @Override
        public int hashCode() {
            return Objects.hash(classHash(), Arrays.hashCode(terms), Arrays.hashCode(scores));
        }
    }
}
