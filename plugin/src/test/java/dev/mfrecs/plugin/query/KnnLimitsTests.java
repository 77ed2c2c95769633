package dev.mfrecs.plugin.query;

import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.user.UserSpec;

import org.elasticsearch.common.Strings;
import org.elasticsearch.test.ESTestCase;

import java.util.List;

/**
 * The default num_candidates that mf_recommend and mf_similar use when a request gives none: 200 (chosen from the serving
 * sweep, docs/serving-benchmark.md), or 2k for a larger k, at most Elasticsearch's 10,000; and what a request states is kept.
 */
public class KnnLimitsTests extends ESTestCase {

    private static final MfServices SERVICES = MfServices.direct();

    public void testDefaultNumCandidatesIs200OrTwiceK() {
        assertEquals(200, KnnLimits.defaultNumCandidates(1));
        assertEquals(200, KnnLimits.defaultNumCandidates(10));
        assertEquals(200, KnnLimits.defaultNumCandidates(100));
        assertEquals(202, KnnLimits.defaultNumCandidates(101));
        assertEquals(10_000, KnnLimits.defaultNumCandidates(5_000));
        assertEquals(10_000, KnnLimits.defaultNumCandidates(KnnLimits.MAX_K));
        int k = randomIntBetween(1, KnnLimits.MAX_K);
        KnnLimits.validate("test", k, KnnLimits.defaultNumCandidates(k)); // a default is always valid for its k
    }

    public void testQueriesWithoutNumCandidatesGetTheDefaultAndKeepAGivenOne() {
        String recommend = Strings.toString(new MfRecommendQueryBuilder(SERVICES, "shop", new UserSpec("u1", null), null, null, null,
            List.of(), null, null));
        assertTrue(recommend, recommend.contains("\"k\":10") && recommend.contains("\"num_candidates\":200"));
        String large = Strings.toString(new MfRecommendQueryBuilder(SERVICES, "shop", new UserSpec("u1", null), null, 300, null,
            List.of(), null, null));
        assertTrue(large, large.contains("\"num_candidates\":600"));
        String given = Strings.toString(new MfRecommendQueryBuilder(SERVICES, "shop", new UserSpec("u1", null), null, 10, 50, List.of(),
            null, null));
        assertTrue(given, given.contains("\"num_candidates\":50"));
        String similar = Strings.toString(new MfSimilarQueryBuilder(SERVICES, "shop", List.of("p1"), null, null, null, List.of()));
        assertTrue(similar, similar.contains("\"num_candidates\":200"));
    }
}
