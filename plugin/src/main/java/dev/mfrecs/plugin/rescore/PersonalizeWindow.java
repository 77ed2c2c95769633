package dev.mfrecs.plugin.rescore;

import org.apache.lucene.search.Explanation;

import java.util.Arrays;

/**
 * One shard's rescore window of {@code mf_personalize} and its arithmetic, kept so that an explanation shows the same numbers
 * the rescore used: for the hits in window order (by query score), their query scores {@code q}, the user's dot products
 * {@code x_u . y_i} with their item vectors (where they have one), both normalized ({@link Normalization}), and the blend
 * {@code (1 - weight) * norm(q) + weight * norm(dot)}. A hit without a vector is placed by its query score alone: its blended
 * score is {@code norm(q)}.
 */
final class PersonalizeWindow {

    /** Top-level doc ids in window order (by query score, best first). */
    final int[] docs;
    final float[] query;
    final float[] dot;
    final boolean[] hasVector;
    final float[] normQuery;
    final float[] normDot;
    final float[] blended;
    final float weight;
    final Normalization normalization;
    /** The smallest blended score and query score in the window: hits below the window are scaled under them. */
    final float minBlended;
    final float minQuery;

    PersonalizeWindow(int[] docs, float[] query, float[] dot, boolean[] hasVector, float weight, Normalization normalization) {
        int n = docs.length;
        this.docs = docs;
        this.query = query;
        this.dot = dot;
        this.hasVector = hasVector;
        this.weight = weight;
        this.normalization = normalization;
        this.normQuery = new float[n];
        this.normDot = new float[n];
        this.blended = new float[n];
        normalization.apply(query, null, n, normQuery);
        normalization.apply(dot, hasVector, n, normDot);
        float minB = Float.POSITIVE_INFINITY;
        float minQ = Float.POSITIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            blended[i] = hasVector[i] ? (1 - weight) * normQuery[i] + weight * normDot[i] : normQuery[i];
            minB = Math.min(minB, blended[i]);
            minQ = Math.min(minQ, query[i]);
        }
        this.minBlended = n == 0 ? 0f : minB;
        this.minQuery = n == 0 ? 0f : minQ;
    }

    /** The score of a hit below the window, with query score {@code q <= minQuery}: under every window score, in the same order. */
    float below(float q) {
        return minQuery > 0 && q > 0 ? minBlended * Math.min(1f, q / minQuery) : 0f;
    }

    /** The position of top-level doc {@code doc} in the window, or -1. */
    int indexOf(int doc) {
        for (int i = 0; i < docs.length; i++) {
            if (docs[i] == doc) {
                return i;
            }
        }
        return -1;
    }

    /** Window positions ordered by blended score, best first, ties by doc id (as Lucene merges hits). */
    int[] order() {
        int n = docs.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> blended[a] != blended[b] ? Float.compare(blended[b], blended[a]) : Integer.compare(docs[a], docs[b]));
        int[] out = new int[n];
        for (int r = 0; r < n; r++) {
            out[r] = order[r];
        }
        return out;
    }

    /** The explanation of window position {@code i}; {@code source} explains its query score. */
    Explanation explain(int i, Explanation source, String model) {
        String how = normalization + " over the shard's window of " + docs.length + " hits";
        Explanation q = Explanation.match(normQuery[i], "normalized query score (" + how + ")", source);
        if (hasVector[i] == false) {
            return Explanation.match(blended[i], "mf_personalize [" + model + "]: the hit has no item vector, placed by its query score",
                q);
        }
        Explanation d = Explanation.match(normDot[i], "normalized personal score (" + how + ")", Explanation.match(dot[i],
            "dot product of the user vector and the item vector"));
        return Explanation.match(blended[i], "mf_personalize [" + model + "]: (1 - weight) * query + weight * personal, weight "
            + weight, q, d);
    }
}
