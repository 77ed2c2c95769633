package dev.mfrecs.plugin.query;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The top {@code k} hits of a small candidate query that the excluded query does not match, per shard: a post-filter
 * that keeps a kNN query's "k per shard" contract.
 * <p>
 * Why: a user's seen items used to be excluded inside the kNN filter, which makes Lucene evaluate the filter over every
 * document of the shard (a bit set of all items but the seen ones) before the graph search. Asking the kNN for
 * {@code k + |seen|} candidates instead and dropping the seen ones afterwards gives the same top {@code k} for an exact
 * search (the top {@code k + s} contain the top {@code k} of those not excluded), with the graph search's beam
 * ({@code num_candidates}) unchanged, and touches only the candidates.
 * <p>
 * On rewrite the candidates are rewritten (a kNN query runs its graph search there), the exclusion is applied to them
 * only, and the result is a fixed {@link ScoreDocsQuery} of at most {@code k} documents, scored as the candidates were.
 */
final class TopKExcludingQuery extends Query {

    private final Query candidates;
    private final Query excluded;
    private final int k;

    TopKExcludingQuery(Query candidates, Query excluded, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("[k] must be positive, got [" + k + "]");
        }
        this.candidates = Objects.requireNonNull(candidates);
        this.excluded = Objects.requireNonNull(excluded);
        this.k = k;
    }

    @Override
    public Query rewrite(IndexSearcher searcher) throws IOException {
        Query remaining = new BooleanQuery.Builder().add(candidates, BooleanClause.Occur.MUST)
            .add(excluded, BooleanClause.Occur.MUST_NOT)
            .build();
        Weight weight = searcher.createWeight(searcher.rewrite(remaining), ScoreMode.COMPLETE, 1f);
        int[] docs = new int[k];
        float[] scores = new float[k];
        int size = 0;
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            Scorer scorer = weight.scorer(leaf);
            if (scorer == null) {
                continue;
            }
            DocIdSetIterator it = scorer.iterator();
            for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
                size = offer(docs, scores, size, leaf.docBase + doc, scorer.score());
            }
        }
        return new ScoreDocsQuery(searcher.getIndexReader(), Arrays.copyOf(docs, size), Arrays.copyOf(scores, size));
    }

    /**
     * Keeps the best {@code k} (higher score first, lower doc id on ties, as Lucene ranks hits) in a list sorted best
     * first; candidates are few (k plus the excluded count), so an insertion is cheaper than a heap.
     */
    private int offer(int[] docs, float[] scores, int size, int doc, float score) {
        int at = size;
        while (at > 0 && (scores[at - 1] < score || (scores[at - 1] == score && docs[at - 1] > doc))) {
            at--;
        }
        if (at >= k) {
            return size;
        }
        int last = Math.min(size, k - 1);
        System.arraycopy(docs, at, docs, at + 1, last - at);
        System.arraycopy(scores, at, scores, at + 1, last - at);
        docs[at] = doc;
        scores[at] = score;
        return Math.min(size + 1, k);
    }

    @Override
    public String toString(String field) {
        return "TopKExcludingQuery[k=" + k + ", candidates=" + candidates.toString(field) + ", excluded=" + excluded.toString(field) + "]";
    }

    @Override
    public void visit(QueryVisitor visitor) {
        candidates.visit(visitor.getSubVisitor(BooleanClause.Occur.MUST, this));
        excluded.visit(visitor.getSubVisitor(BooleanClause.Occur.MUST_NOT, this));
    }

    @Override
    public boolean equals(Object obj) {
        if (sameClassAs(obj) == false) {
            return false;
        }
        TopKExcludingQuery other = (TopKExcludingQuery) obj;
        return k == other.k && candidates.equals(other.candidates) && excluded.equals(other.excluded);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), candidates, excluded, k);
    }
}
