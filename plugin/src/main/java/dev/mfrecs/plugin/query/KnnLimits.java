package dev.mfrecs.plugin.query;

/**
 * Bounds on k and num_candidates, the same ones Elasticsearch's own knn search enforces, checked when an mf query is
 * built so that a bad value is a 400 naming the API rather than a failure deep in a shard.
 */
final class KnnLimits {

    static final int MAX_K = 10_000;
    static final int MAX_NUM_CANDIDATES = 10_000;
    static final int DEFAULT_K = 10;
    /**
     * The smallest default num_candidates. 200, not Elasticsearch's 100: in the kNN sweep (docs/serving-benchmark.md) recall@10
     * at 100,000 items and d = 128, on the template's graph ({@code m} 16, {@code ef_construction} 100), was 0.942 to 0.963 at
     * 100 and 0.986 to 0.988 at 200, for a p50 about 1.2 times as long; no index configuration measured reached 0.98 at 100
     * without a slower p50.
     */
    static final int MIN_DEFAULT_NUM_CANDIDATES = 200;

    private KnnLimits() {}

    /** num_candidates of a query that does not give one: {@link #MIN_DEFAULT_NUM_CANDIDATES}, or 2k for a larger k. */
    static int defaultNumCandidates(int k) {
        return Math.min(MAX_NUM_CANDIDATES, Math.max(MIN_DEFAULT_NUM_CANDIDATES, 2 * k));
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
