package dev.mfrecs.plugin.query;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.plugin.MfRecommendationsPlugin;
import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.PersonalizeFixture;
import dev.mfrecs.plugin.user.HistoryEntry;
import dev.mfrecs.plugin.user.UserSpec;

import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.common.document.DocumentField;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.test.ESIntegTestCase;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static dev.mfrecs.plugin.PersonalizeFixture.ITEMS;
import static dev.mfrecs.plugin.PersonalizeFixture.dot;

/**
 * The business controls of {@code mf_recommend} and {@code mf_similar} on an internal cluster (two data nodes, several shards):
 * boosts rank the candidates by score times factor exactly, a non-numeric boost field is refused naming it, diversity lowers the
 * similarity within the list, dither is reproducible per seed, and {@code because} lists contributions that sum to the score.
 */
@ESIntegTestCase.ClusterScope(scope = ESIntegTestCase.Scope.SUITE, numDataNodes = 2)
public class MfBusinessControlsClusterTests extends ESIntegTestCase {

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(MfRecommendationsPlugin.class);
    }

    private static MfServices services() {
        return internalCluster().getInstance(MfServices.class);
    }

    private static String model() {
        return "c" + randomAlphaOfLength(8).toLowerCase(Locale.ROOT);
    }

    private PersonalizeFixture.Published publish() {
        String model = model();
        PersonalizeFixture.Published p = PersonalizeFixture.publish(client(), model, randomIntBetween(1, 3));
        ensureGreen(ModelIndices.itemsIndex(model, 1));
        return p;
    }

    private static List<SearchHit> search(PersonalizeFixture.Published p, QueryBuilder query, int size) {
        SearchResponse r = client().prepareSearch(ModelIndices.itemsAlias(p.model())).setQuery(query).setSize(size).get();
        try {
            List<SearchHit> out = new ArrayList<>();
            for (SearchHit h : r.getHits().getHits()) {
                out.add(h.asUnpooled());
            }
            return out;
        } finally {
            r.decRef();
        }
    }

    private static MfRecommendQueryBuilder alice(PersonalizeFixture.Published p, BusinessControls controls) {
        return new MfRecommendQueryBuilder(services(), p.model(), new UserSpec("alice", null), null, 10, ITEMS, null, null, null, controls);
    }

    /** Lucene's score of a max_inner_product dot product. */
    private static float knnScore(float x) {
        return x >= 0 ? x + 1 : 1 / (1 - x);
    }

    public void testBoostsRankCandidatesByScoreTimesFactor() {
        PersonalizeFixture.Published p = publish();
        List<ScoreBoost> boosts = List.of(ScoreBoost.byField("margin", 1f),
            ScoreBoost.byFilter(QueryBuilders.termQuery("brand", "acme"), 3f));
        List<SearchHit> hits = search(p, alice(p, new BusinessControls(boosts, null, null, 0)), 20);
        assertEquals("the global top k", 10, hits.size());
        // expected: every unseen item, score = knn score * margin * (acme ? 3 : 1)
        List<Integer> all = new ArrayList<>();
        float[] expected = new float[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            if (p.aliceSeen().contains("i" + i) == false) {
                all.add(i);
            }
            expected[i] = knnScore(dot(p.alice(), p.item(i))) * (1 + (i % 5)) * (i % 3 == 0 ? 3f : 1f);
        }
        all.sort((a, b) -> Float.compare(expected[b], expected[a]));
        for (int r = 0; r < 10; r++) {
            assertEquals("rank " + r, "i" + all.get(r), hits.get(r).getId());
            assertEquals("rank " + r, expected[all.get(r)], hits.get(r).getScore(), 1e-3f * expected[all.get(r)]);
        }
    }

    public void testNonNumericBoostFieldIsRefusedNamingIt() {
        PersonalizeFixture.Published p = publish();
        Exception e = expectThrows(Exception.class, () -> search(p, alice(p, new BusinessControls(List.of(ScoreBoost.byField("brand", 1f)),
            null, null, 0)), 10));
        String all = ExceptionsHelper.stackTrace(e);
        assertTrue(all, all.contains("[mf_recommend] [boost] field [brand] must be numeric, got type [text]"));
        assertEquals(RestStatus.BAD_REQUEST, ExceptionsHelper.status(e));
    }

    private static double meanPairwiseCosine(PersonalizeFixture.Published p, List<SearchHit> hits) {
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < hits.size(); a++) {
            for (int b = a + 1; b < hits.size(); b++) {
                float[] x = p.item(Integer.parseInt(hits.get(a).getId().substring(1)));
                float[] y = p.item(Integer.parseInt(hits.get(b).getId().substring(1)));
                sum += dot(x, y) / Math.sqrt((double) dot(x, x) * dot(y, y));
                pairs++;
            }
        }
        return sum / pairs;
    }

    public void testDiversityLowersSimilarityAndLambdaOneKeepsTheOrder() {
        PersonalizeFixture.Published p = publish();
        List<SearchHit> plain = search(p, alice(p, null), 100);
        List<String> plainTop = new ArrayList<>();
        // the kNN query returns k per shard: the global top 10 are the first 10 of the merged hits
        for (int i = 0; i < 10; i++) {
            plainTop.add(plain.get(i).getId());
        }
        List<SearchHit> same = search(p, alice(p, new BusinessControls(List.of(), 1f, null, 0)), 10);
        assertEquals(plainTop, same.stream().map(SearchHit::getId).toList());
        List<SearchHit> diverse = search(p, alice(p, new BusinessControls(List.of(), 0.3f, null, 0)), 10);
        assertEquals(10, diverse.size());
        assertEquals("the first pick is the most relevant", plainTop.get(0), diverse.get(0).getId());
        assertTrue(meanPairwiseCosine(p, diverse) + " vs " + meanPairwiseCosine(p, same),
            meanPairwiseCosine(p, diverse) < meanPairwiseCosine(p, same));
        for (int i = 1; i < diverse.size(); i++) {
            assertTrue(diverse.get(i).getScore() <= diverse.get(i - 1).getScore());
            assertFalse(p.aliceSeen().contains(diverse.get(i).getId()));
        }
    }

    public void testDitherIsReproduciblePerSeed() {
        PersonalizeFixture.Published p = publish();
        List<String> a = search(p, alice(p, new BusinessControls(List.of(), null, new BusinessControls.Dither(2f, 7L), 0)), 10).stream()
            .map(SearchHit::getId).toList();
        List<String> b = search(p, alice(p, new BusinessControls(List.of(), null, new BusinessControls.Dither(2f, 7L), 0)), 10).stream()
            .map(SearchHit::getId).toList();
        assertEquals(a, b);
        Set<List<String>> seen = new HashSet<>();
        for (long seed = 0; seed < 5; seed++) {
            seen.add(search(p, alice(p, new BusinessControls(List.of(), null, new BusinessControls.Dither(2f, seed), 0)), 10).stream()
                .map(SearchHit::getId).toList());
        }
        assertTrue("five seeds gave one ranking", seen.size() > 1);
        List<String> none = search(p, alice(p, new BusinessControls(List.of(), null, new BusinessControls.Dither(1f, 3L), 0)), 10).stream()
            .map(SearchHit::getId).toList();
        List<String> plain = search(p, alice(p, null), 100).stream().limit(10).map(SearchHit::getId).toList();
        assertEquals("epsilon 1 does not move anything", plain, none);
    }

    @SuppressWarnings("unchecked")
    public void testBecauseContributionsSumToTheDotProduct() {
        PersonalizeFixture.Published p = publish();
        List<HistoryEntry> history = List.of(new HistoryEntry("i5", 2f), new HistoryEntry("i9", 1f), new HistoryEntry("i40", 3f));
        MfRecommendQueryBuilder query = new MfRecommendQueryBuilder(services(), p.model(), new UserSpec(null, history), null, 10, ITEMS,
            null, null, null, new BusinessControls(List.of(), null, null, 3));
        SearchResponse r = client().prepareSearch(ModelIndices.itemsAlias(p.model())).setQuery(query).setSize(10).setExplain(true).get();
        try {
            assertTrue(r.getHits().getHits().length >= 10);
            for (SearchHit hit : r.getHits().getHits()) {
                DocumentField because = hit.field(BecauseFetchSubPhase.FIELD);
                assertNotNull(hit.getId(), because);
                assertEquals(3, because.getValues().size());
                double sum = 0;
                double previous = Double.MAX_VALUE;
                Set<String> items = new HashSet<>();
                for (Object o : because.getValues()) {
                    Map<String, Object> c = (Map<String, Object>) o;
                    items.add((String) c.get("item"));
                    double v = ((Number) c.get("contribution")).doubleValue();
                    assertTrue(v <= previous);
                    previous = v;
                    sum += v;
                }
                assertEquals(Set.of("i5", "i9", "i40"), items);
                float score = hit.getScore();
                double dotProduct = score >= 1 ? score - 1 : 1 - 1 / score;
                assertEquals(hit.getId(), dotProduct, sum, 1e-3 * Math.max(1, Math.abs(dotProduct)));
                assertTrue(hit.getExplanation().toString(), hit.getExplanation().toString().contains("because: dot product"));
            }
        } finally {
            r.decRef();
        }
        // a stored user, with a re-ranking control too: contributions of the fold-in of the stored history
        List<SearchHit> hits = search(p, alice(p, new BusinessControls(List.of(ScoreBoost.byField("margin", 1f)), null, null, 2)), 10);
        assertEquals(10, hits.size());
        for (SearchHit hit : hits) {
            DocumentField because = hit.field(BecauseFetchSubPhase.FIELD);
            assertNotNull(because);
            assertEquals(2, because.getValues().size());
            assertTrue(p.aliceSeen().contains(((Map<String, Object>) because.getValues().get(0)).get("item")));
        }
    }

    @SuppressWarnings("unchecked")
    public void testSimilarWithDiversityAndBecause() {
        PersonalizeFixture.Published p = publish();
        MfSimilarQueryBuilder query = new MfSimilarQueryBuilder(services(), p.model(), List.of("i7", "i8"), null, 8, 100, null,
            new BusinessControls(List.of(), 0.5f, null, 2));
        List<SearchHit> hits = search(p, query, 8);
        assertEquals(8, hits.size());
        for (SearchHit hit : hits) {
            assertFalse(List.of("i7", "i8").contains(hit.getId()));
            List<Object> because = hit.field(BecauseFetchSubPhase.FIELD).getValues();
            double sum = 0;
            for (Object o : because) {
                sum += ((Number) ((Map<String, Object>) o).get("contribution")).doubleValue();
            }
            // two query items: the contributions sum to the cosine of the item and the mean of the two unit vectors
            float[] y = p.item(Integer.parseInt(hit.getId().substring(1)));
            float[] a = p.item(7);
            float[] b = p.item(8);
            double na = Math.sqrt(dot(a, a));
            double nb = Math.sqrt(dot(b, b));
            float[] mean = new float[y.length];
            for (int i = 0; i < y.length; i++) {
                mean[i] = (float) ((a[i] / na + b[i] / nb) / 2);
            }
            double cos = dot(mean, y) / Math.sqrt((double) dot(mean, mean) * dot(y, y));
            assertEquals(hit.getId(), cos, sum, 1e-4);
        }
    }
}
