package dev.mfrecs.plugin.query;

import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A fixed set of documents of one reader with fixed scores: what {@link TopKExcludingQuery} rewrites to once it has
 * chosen its top k, the same shape Lucene's kNN queries rewrite to. Bound to the reader it was computed on, so it can
 * never be replayed against another one.
 */
final class ScoreDocsQuery extends Query {

    /** Reader-global doc ids, ascending. */
    private final int[] docs;
    private final float[] scores;
    /** {@code docs[segmentStarts[ord]..segmentStarts[ord + 1])} belong to leaf {@code ord}. */
    private final int[] segmentStarts;
    private final float maxScore;
    private final Object contextIdentity;
    /** What a matching document's explanation says its score is. */
    private final String description;

    /**
     * @param docs   reader-global doc ids, in any order, without duplicates
     * @param scores the score of each doc, same order
     */
    ScoreDocsQuery(IndexReader reader, int[] docs, float[] scores) {
        this(reader, docs, scores, "score among the top hits left after the exclusion");
    }

    ScoreDocsQuery(IndexReader reader, int[] docs, float[] scores, String description) {
        if (docs.length != scores.length) {
            throw new IllegalArgumentException("[" + docs.length + "] docs but [" + scores.length + "] scores");
        }
        // Sort by doc id without boxing: the doc (non-negative) in the high half, its position in the low half.
        long[] order = new long[docs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = ((long) docs[i] << 32) | i;
        }
        Arrays.sort(order);
        this.docs = new int[docs.length];
        this.scores = new float[docs.length];
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < order.length; i++) {
            int from = (int) order[i];
            this.docs[i] = docs[from];
            this.scores[i] = scores[from];
            max = Math.max(max, this.scores[i]);
        }
        this.maxScore = max;
        List<LeafReaderContext> leaves = reader.leaves();
        this.segmentStarts = new int[leaves.size() + 1];
        for (int ord = 0; ord < leaves.size(); ord++) {
            segmentStarts[ord] = lowerBound(this.docs, leaves.get(ord).docBase);
        }
        segmentStarts[leaves.size()] = this.docs.length;
        this.contextIdentity = reader.getContext().id();
        this.description = description;
    }

    private static int lowerBound(int[] sorted, int key) {
        int i = Arrays.binarySearch(sorted, key);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == key) {
            i--;
        }
        return i;
    }

    int size() {
        return docs.length;
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
        if (searcher.getIndexReader().getContext().id() != contextIdentity) {
            throw new IllegalStateException("[" + this + "] was computed on another reader");
        }
        return new Weight(this) {
            @Override
            public Explanation explain(LeafReaderContext context, int doc) {
                int i = Arrays.binarySearch(docs, segmentStarts[context.ord], segmentStarts[context.ord + 1], doc + context.docBase);
                if (i < 0) {
                    return Explanation.noMatch("not among the top hits left after the exclusion");
                }
                return Explanation.match(scores[i] * boost, description);
            }

            @Override
            public int count(LeafReaderContext context) {
                return segmentStarts[context.ord + 1] - segmentStarts[context.ord];
            }

            @Override
            public ScorerSupplier scorerSupplier(LeafReaderContext context) {
                int from = segmentStarts[context.ord];
                int to = segmentStarts[context.ord + 1];
                if (from == to) {
                    return null;
                }
                return new DefaultScorerSupplier(new LeafScorer(from, to, context.docBase, boost));
            }

            @Override
            public boolean isCacheable(LeafReaderContext context) {
                return false;
            }
        };
    }

    /** Iterates {@code docs[from..to)} of one leaf. */
    private final class LeafScorer extends Scorer {
        private final int from;
        private final int to;
        private final int docBase;
        private final float boost;
        private int upTo;

        LeafScorer(int from, int to, int docBase, float boost) {
            this.from = from;
            this.to = to;
            this.docBase = docBase;
            this.boost = boost;
            this.upTo = from - 1;
        }

        @Override
        public int docID() {
            if (upTo < from) {
                return -1;
            }
            return upTo >= to ? DocIdSetIterator.NO_MORE_DOCS : docs[upTo] - docBase;
        }

        @Override
        public DocIdSetIterator iterator() {
            return new DocIdSetIterator() {
                @Override
                public int docID() {
                    return LeafScorer.this.docID();
                }

                @Override
                public int nextDoc() {
                    if (upTo < to) {
                        upTo++;
                    }
                    return docID();
                }

                @Override
                public int advance(int target) {
                    if (upTo < from) {
                        upTo = from;
                    }
                    while (upTo < to && docs[upTo] - docBase < target) {
                        upTo++;
                    }
                    return docID();
                }

                @Override
                public long cost() {
                    return to - from;
                }
            };
        }

        @Override
        public float getMaxScore(int upToDoc) {
            return maxScore * boost;
        }

        @Override
        public float score() {
            return scores[upTo] * boost;
        }
    }

    @Override
    public String toString(String field) {
        return "ScoreDocsQuery[" + docs.length + " docs]";
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public boolean equals(Object obj) {
        if (sameClassAs(obj) == false) {
            return false;
        }
        ScoreDocsQuery other = (ScoreDocsQuery) obj;
        return contextIdentity == other.contextIdentity && Arrays.equals(docs, other.docs) && Arrays.equals(scores, other.scores);
    }

    @Override
    public int hashCode() {
        return Objects.hash(classHash(), contextIdentity, Arrays.hashCode(docs), Arrays.hashCode(scores));
    }
}
