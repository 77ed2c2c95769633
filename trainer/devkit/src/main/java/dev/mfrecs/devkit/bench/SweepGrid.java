package dev.mfrecs.devkit.bench;

import dev.mfrecs.contract.VectorIndexOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * What {@code bench-sweep} measures: every index configuration (one published version each) at every dimension, each
 * searched at every {@code num_candidates}. Checked before a node is started, so a bad grid fails in a second with the
 * offending option named rather than after minutes of publishing.
 *
 * @param items          items of the synthetic model
 * @param dims           vector dimensions, one synthetic model each
 * @param configs        kNN index options, one published version per configuration and dimension
 * @param numCandidates  num_candidates of the measured searches, ascending
 * @param baseline       the num_candidates the first configuration is compared at (today's default)
 * @param queries        measured searches per point
 * @param clients        concurrent clients
 * @param recallUsers    users whose results are compared with the exact top 10
 */
public record SweepGrid(int items, int[] dims, List<VectorIndexOptions> configs, int[] numCandidates, int baseline, int queries,
                        int clients, int recallUsers) {

    /** Users of the synthetic model: recall and latency are measured over the first of them. */
    static final int USERS = 1_000;
    /** Results compared with the exact top k. */
    static final int K = 10;
    /** Elasticsearch's bound on num_candidates. */
    static final int MAX_NUM_CANDIDATES = 10_000;

    /** Parses the configurations and checks every option, naming the bad one in brackets. */
    public static SweepGrid of(int items, int[] dims, String[] configs, int[] numCandidates, int baseline, int queries, int clients,
                               int recallUsers) {
        if (items < 1_000) {
            throw new IllegalArgumentException("[--items] must be at least 1000, got [" + items + "]");
        }
        if (dims == null || dims.length == 0) {
            throw new IllegalArgumentException("[--dims] needs at least one dimension");
        }
        for (int d : dims) {
            if (d < 2 || d > 4096) {
                throw new IllegalArgumentException("[--dims] must be in [2, 4096], got [" + d + "]");
            }
        }
        if (configs == null || configs.length == 0) {
            throw new IllegalArgumentException("[--index-options] needs at least one configuration");
        }
        List<VectorIndexOptions> parsed = new ArrayList<>();
        for (String c : configs) {
            try {
                parsed.add(VectorIndexOptions.parse(c));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("[--index-options] " + e.getMessage(), e);
            }
        }
        if (numCandidates == null || numCandidates.length == 0) {
            throw new IllegalArgumentException("[--num-candidates] needs at least one value");
        }
        int[] sorted = numCandidates.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] < K || sorted[i] > MAX_NUM_CANDIDATES) {
                throw new IllegalArgumentException("[--num-candidates] must be in [" + K + ", " + MAX_NUM_CANDIDATES + "], got ["
                    + sorted[i] + "]");
            }
            if (i > 0 && sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("[--num-candidates] lists [" + sorted[i] + "] twice");
            }
        }
        if (Arrays.binarySearch(sorted, baseline) < 0) {
            throw new IllegalArgumentException("[--baseline-num-candidates] [" + baseline + "] must be one of [--num-candidates] "
                + Arrays.toString(sorted));
        }
        if (queries < 10) {
            throw new IllegalArgumentException("[--queries] must be at least 10, got [" + queries + "]");
        }
        if (clients < 1 || clients > 64) {
            throw new IllegalArgumentException("[--clients] must be in [1, 64], got [" + clients + "]");
        }
        if (recallUsers < 1 || recallUsers > USERS) {
            throw new IllegalArgumentException("[--recall-users] must be in [1, " + USERS + "], got [" + recallUsers + "]");
        }
        return new SweepGrid(items, dims.clone(), List.copyOf(parsed), sorted, baseline, queries, clients, recallUsers);
    }

    /** Share of the exact top-k item ids ({@code exact}, as indices into {@code "p" + i}) that the search returned. */
    static double recall(int[] exact, Collection<String> returned) {
        if (exact.length == 0) {
            throw new IllegalArgumentException("no exact results to compare with");
        }
        int match = 0;
        for (int i : exact) {
            match += returned.contains("p" + i) ? 1 : 0;
        }
        return match / (double) exact.length;
    }
}
