package dev.mfrecs.plugin.query;

/**
 * Bounds on k and num_candidates, the same ones Elasticsearch's own knn search enforces, checked when an mf query is
 * built so that a bad value is a 400 naming the API rather than a failure deep in a shard.
 */
final class KnnLimits {

    static final int MAX_K = 10_000;
    static final int MAX_NUM_CANDIDATES = 10_000;
    static final int DEFAULT_K = 10;

    private KnnLimits() {}

    static int defaultNumCandidates(int k) {
        return Math.min(MAX_NUM_CANDIDATES, Math.max(100, 2 * k));
    }

    static void validate(String api, int k, int numCandidates) {
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException("[" + api + "] [k] must be in [1, " + MAX_K + "], got [" + k + "]");
        }
        if (numCandidates < k || numCandidates > MAX_NUM_CANDIDATES) {
            throw new IllegalArgumentException("[" + api + "] [num_candidates] must be in [k, " + MAX_NUM_CANDIDATES + "], got ["
                + numCandidates + "]");
        }
    }
}
