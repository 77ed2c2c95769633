package dev.mfrecs.plugin.user;

import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.factorization.ExplicitFoldIn;
import dev.mfrecs.factorization.ImplicitFoldIn;
import dev.mfrecs.factorization.NotPositiveDefiniteException;
import dev.mfrecs.plugin.model.ItemVectorReads;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.common.breaker.CircuitBreaker;
import org.elasticsearch.rest.RestStatus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The fold-in math of a query: a history of (item, value) pairs, as the recipe aggregated them, and the items' published vectors
 * become the user's vector through the trainer's own row kernel (implicit: {@link ImplicitFoldIn} against the model's item side;
 * explicit: {@link ExplicitFoldIn} on the vectors split into factors and bias). Items the model does not know are ignored and
 * reported. The memory a solve holds (the history's vectors and the solver's d x d system) is accounted to the request circuit
 * breaker while it runs, so many concurrent large fold-ins trip the breaker instead of the heap.
 */
public final class UserFoldIn {

    private UserFoldIn() {}

    /** Bytes a fold-in of {@code k} items holds at once: the packed vectors and values, and the solver's double-precision system. */
    static long bytes(ModelMetadata model, int k) {
        long d = model.vectorDims();
        return 4L * k * (d + 1) + 8L * (d + 1) * (d + 2);
    }

    /** Folds the user in from the items' vectors; items the model does not know (or without a usable vector) are ignored. */
    public static ResolvedUser solve(ModelMetadata model, Map<String, Float> history, String source, ItemVectorReads.Found found,
                                     CircuitBreaker breaker) {
        List<String> seen = List.copyOf(history.keySet());
        int d = model.vectorDims();
        List<String> known = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        long bytes = bytes(model, history.size());
        breaker.addEstimateBytesAndMaybeBreak(bytes, "mf_fold_in");
        try {
            float[] vectors = new float[history.size() * d];
            float[] values = new float[history.size()];
            for (Map.Entry<String, Float> e : history.entrySet()) {
                float[] v = found.vectors().get(e.getKey());
                if (v == null || v.length != d) {
                    ignored.add(e.getKey());
                    continue;
                }
                System.arraycopy(v, 0, vectors, known.size() * d, d);
                values[known.size()] = e.getValue();
                known.add(e.getKey());
            }
            int k = known.size();
            if (k == 0) {
                return ResolvedUser.empty(source, seen, List.copyOf(ignored));
            }
            float[] hv = Arrays.copyOf(vectors, k * d);
            float[] hval = Arrays.copyOf(values, k);
            float[] x = new float[d];
            if (solve(model, hv, hval, k, x) == false) {
                return ResolvedUser.empty(source, seen, List.copyOf(ignored));
            }
            return new ResolvedUser(x, source, seen, List.copyOf(ignored), List.copyOf(known), hv, hval);
        } finally {
            breaker.addWithoutBreaking(-bytes);
        }
    }

    /**
     * The query-time solve for one user; the same kernel the trainer runs for a training row. Returns false when no entry of
     * the history carries weight (every value {@code <= 0} for an implicit model), which leaves nothing to fold in.
     */
    static boolean solve(ModelMetadata model, float[] historyVectors, float[] values, int k, float[] out) {
        try {
            if (model.isExplicit()) {
                return solveExplicit(model, historyVectors, values, k, out);
            }
            boolean any = false;
            for (int j = 0; j < k; j++) {
                any |= values[j] > 0;
            }
            if (any == false) {
                return false;
            }
            new ImplicitFoldIn(model.factors()).foldIn(model.implicitItemSide(), historyVectors, values, k, out);
            return true;
        } catch (NotPositiveDefiniteException e) {
            throw new ElasticsearchStatusException("[mf] fold-in failed for model [{}]: {}", RestStatus.BAD_REQUEST, e, model.model(),
                e.getMessage());
        }
    }

    /**
     * Explicit models publish item vectors (q_i, b_i): split them, solve (p_u, b_u) from the ratings with the trainer's
     * row kernel, and return (p_u, 1) so the kNN inner product is b_i + p_u.q_i, the predicted rating up to the
     * user's constant mu + b_u.
     */
    private static boolean solveExplicit(ModelMetadata model, float[] historyVectors, float[] ratings, int k, float[] out) {
        int d = model.factors();
        float[] q = new float[k * d];
        float[] b = new float[k];
        split(model, historyVectors, k, q, b);
        float[] p = new float[d];
        new ExplicitFoldIn(d).foldIn(model.explicit().globalMean(), model.regularization(), q, b, ratings, k, p);
        System.arraycopy(p, 0, out, 0, d);
        out[d] = 1f;
        return true;
    }

    /** Splits published explicit vectors {@code (q_j, b_j)} into packed factors and biases. */
    public static void split(ModelMetadata model, float[] published, int k, float[] factors, float[] biases) {
        int d = model.factors();
        int dims = model.vectorDims();
        for (int j = 0; j < k; j++) {
            System.arraycopy(published, j * dims, factors, j * d, d);
            biases[j] = published[j * dims + d];
        }
    }
}
