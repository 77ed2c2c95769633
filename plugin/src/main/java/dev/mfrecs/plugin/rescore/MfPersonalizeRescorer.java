package dev.mfrecs.plugin.rescore;

import dev.mfrecs.plugin.model.LeafVectors;

import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.VectorUtil;
import org.elasticsearch.search.rescore.RescoreContext;
import org.elasticsearch.search.rescore.Rescorer;

import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The shard-level work of {@code mf_personalize}: the top {@code window_size} hits of the first pass are re-ranked by blending
 * their query score with the user's exact dot product with each hit's item vector, read from the segment's vector storage
 * ({@link LeafVectors}: no kNN, no {@code _source}), as {@link PersonalizeWindow} defines. Hits below the window keep their
 * order under it. A context without a user vector (nothing to fold in) leaves the hits as they are.
 */
final class MfPersonalizeRescorer implements Rescorer {

    static final MfPersonalizeRescorer INSTANCE = new MfPersonalizeRescorer();

    /** What one shard's rescore needs, and the window it computed (for explanations in the same search context). */
    static final class Context extends RescoreContext {
        final String model;
        /** The user's vector, or null when there was nothing to fold in. */
        final float[] user;
        final float weight;
        final Normalization normalization;
        final String field;
        private volatile PersonalizeWindow window;

        Context(int windowSize, String model, float[] user, float weight, Normalization normalization, String field) {
            super(windowSize, INSTANCE);
            this.model = model;
            this.user = user;
            this.weight = weight;
            this.normalization = normalization;
            this.field = field;
        }

        PersonalizeWindow window() {
            return window;
        }

        /**
         * Recomputes the window in a fetch phase that runs in a new search context (the query phase's window is gone): the rescored
         * documents, scored again by the first-pass query {@code firstPass} on the same reader, so an explanation shows the numbers
         * the rescore used.
         */
        void prepareExplain(IndexSearcher searcher, Query firstPass) throws IOException {
            if (window != null || user == null || getRescoredDocs() == null || getRescoredDocs().isEmpty()) {
                return;
            }
            int[] docs = getRescoredDocs().stream().mapToInt(Integer::intValue).sorted().toArray();
            float[] scores = new float[docs.length];
            Weight weight = searcher.createWeight(searcher.rewrite(firstPass), ScoreMode.COMPLETE, 1f);
            List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
            int leafOrd = -1;
            Scorer scorer = null;
            for (int i = 0; i < docs.length; i++) {
                int ord = ReaderUtil.subIndex(docs[i], leaves);
                LeafReaderContext leaf = leaves.get(ord);
                if (ord != leafOrd) {
                    leafOrd = ord;
                    scorer = weight.scorer(leaf);
                }
                int target = docs[i] - leaf.docBase;
                if (scorer != null && scorer.iterator().advance(target) == target) {
                    scores[i] = scorer.score();
                }
            }
            // window order: by query score, best first, ties by doc id
            Integer[] byScore = new Integer[docs.length];
            for (int i = 0; i < byScore.length; i++) {
                byScore[i] = i;
            }
            Arrays.sort(byScore,
                (a, b) -> scores[a] != scores[b] ? Float.compare(scores[b], scores[a]) : Integer.compare(docs[a], docs[b]));
            int[] windowDocs = new int[docs.length];
            float[] q = new float[docs.length];
            for (int i = 0; i < docs.length; i++) {
                windowDocs[i] = docs[byScore[i]];
                q[i] = scores[byScore[i]];
            }
            window = INSTANCE.window(searcher, this, windowDocs, q);
        }
    }

    private MfPersonalizeRescorer() {}

    @Override
    public TopDocs rescore(TopDocs topDocs, IndexSearcher searcher, RescoreContext rescoreContext) throws IOException {
        Context context = (Context) rescoreContext;
        ScoreDoc[] hits = topDocs.scoreDocs;
        if (context.user == null || hits.length == 0) {
            context.setRescoredDocs(Set.of());
            return topDocs;
        }
        int n = Math.min(context.getWindowSize(), hits.length);
        int[] docs = new int[n];
        float[] q = new float[n];
        for (int i = 0; i < n; i++) {
            docs[i] = hits[i].doc;
            q[i] = hits[i].score;
        }
        PersonalizeWindow window = window(searcher, context, docs, q);
        context.window = window;
        ScoreDoc[] out = new ScoreDoc[hits.length];
        int[] order = window.order();
        Set<Integer> rescored = new HashSet<>(n * 2);
        for (int r = 0; r < n; r++) {
            ScoreDoc hit = hits[order[r]];
            out[r] = new ScoreDoc(hit.doc, window.blended[order[r]], hit.shardIndex);
            rescored.add(hit.doc);
        }
        for (int i = n; i < hits.length; i++) {
            out[i] = new ScoreDoc(hits[i].doc, window.below(hits[i].score), hits[i].shardIndex);
        }
        context.setRescoredDocs(rescored);
        return new TopDocs(topDocs.totalHits, out);
    }

    /** Reads the window's item vectors in doc order, one forward pass per segment, and blends. */
    PersonalizeWindow window(IndexSearcher searcher, Context context, int[] docs, float[] q) throws IOException {
        int n = docs.length;
        float[] dot = new float[n];
        boolean[] has = new boolean[n];
        long[] byDoc = new long[n];
        for (int i = 0; i < n; i++) {
            byDoc[i] = ((long) docs[i] << 32) | i;
        }
        Arrays.sort(byDoc);
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        int leafOrd = -1;
        LeafVectors vectors = null;
        int docBase = 0;
        for (int j = 0; j < n; j++) {
            int doc = (int) (byDoc[j] >>> 32);
            int i = (int) byDoc[j];
            int ord = ReaderUtil.subIndex(doc, leaves);
            if (ord != leafOrd) {
                leafOrd = ord;
                docBase = leaves.get(ord).docBase;
                vectors = LeafVectors.of(leaves.get(ord).reader(), context.field, context.user.length, MfPersonalizeRescorerBuilder.NAME);
            }
            float[] v = vectors.vector(doc - docBase);
            if (v != null) {
                dot[i] = VectorUtil.dotProduct(context.user, v);
                has[i] = true;
            }
            if ((j & 63) == 63) {
                context.checkCancellation();
            }
        }
        return new PersonalizeWindow(docs, q, dot, has, context.weight, context.normalization);
    }

    @Override
    public Explanation explain(int topLevelDocId, IndexSearcher searcher, RescoreContext rescoreContext, Explanation sourceExplanation) {
        Context context = (Context) rescoreContext;
        if (sourceExplanation == null) {
            return Explanation.noMatch("nothing matched");
        }
        if (context.user == null) {
            return Explanation.match(sourceExplanation.getValue(), "mf_personalize [" + context.model
                + "]: no user vector (nothing to fold in), the query score is kept", sourceExplanation);
        }
        PersonalizeWindow window = context.window();
        if (window == null) {
            return Explanation.match(sourceExplanation.getValue(), "mf_personalize [" + context.model + "]: the window's scores are not "
                + "available to this explanation (mf_personalize is explained exactly when it is the first rescorer)", sourceExplanation);
        }
        int i = window.indexOf(topLevelDocId);
        if (i < 0) {
            float q = sourceExplanation.getValue().floatValue();
            return Explanation.match(window.below(q), "mf_personalize [" + context.model + "]: below the rescore window, the query score "
                + "scaled under the window's lowest blended score", sourceExplanation);
        }
        return window.explain(i, sourceExplanation, context.model);
    }
}
