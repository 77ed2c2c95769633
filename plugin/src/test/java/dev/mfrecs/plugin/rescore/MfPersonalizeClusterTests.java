package dev.mfrecs.plugin.rescore;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.plugin.MfRecommendationsPlugin;
import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.PersonalizeFixture;
import dev.mfrecs.plugin.user.HistoryEntry;
import dev.mfrecs.plugin.user.UserSource;
import dev.mfrecs.plugin.user.UserSpec;

import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.search.builder.SearchSourceBuilder;
import org.elasticsearch.search.retriever.StandardRetrieverBuilder;
import org.elasticsearch.test.ESIntegTestCase;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.mfrecs.plugin.PersonalizeFixture.dot;

/**
 * {@code mf_personalize} on an internal cluster of two data nodes: the rescored window is exactly the documented blend of the
 * query's scores and the user's dot products (min-max per window, hits without a vector placed by their query score), the weight's
 * ends reproduce the two rankings, the retriever gives the rescorer's answer, and {@code explain} reproduces each score, also when
 * the fetch runs in another search context than the query (several shards).
 */
@ESIntegTestCase.ClusterScope(scope = ESIntegTestCase.Scope.SUITE, numDataNodes = 2)
public class MfPersonalizeClusterTests extends ESIntegTestCase {

    private static final QueryBuilder BAG = QueryBuilders.matchQuery("title", "bag heart");

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(MfRecommendationsPlugin.class);
    }

    private static MfServices services() {
        return internalCluster().getInstance(MfServices.class);
    }

    private static String model() {
        return "p" + randomAlphaOfLength(8).toLowerCase(Locale.ROOT);
    }

    private record Hit(String id, float score) {}

    private static List<Hit> hits(SearchResponse r) {
        try {
            List<Hit> out = new ArrayList<>();
            for (SearchHit h : r.getHits().getHits()) {
                out.add(new Hit(h.getId(), h.getScore()));
            }
            return out;
        } finally {
            r.decRef();
        }
    }

    private static MfPersonalizeRescorerBuilder alice(String model, float weight) {
        return new MfPersonalizeRescorerBuilder(services(), model, new UserSpec("alice", null), weight, null, null);
    }

    /** The blend the documentation defines, computed from the plain query's window and the published vectors. */
    private static List<Hit> expected(PersonalizeFixture.Published p, List<Hit> window, float[] user, float weight, int size) {
        int n = window.size();
        float[] q = new float[n];
        float[] d = new float[n];
        boolean[] has = new boolean[n];
        for (int i = 0; i < n; i++) {
            q[i] = window.get(i).score();
            String id = window.get(i).id();
            if (id.startsWith("i")) {
                d[i] = dot(user, p.item(Integer.parseInt(id.substring(1))));
                has[i] = true;
            }
        }
        float[] nq = minMax(q, null);
        float[] nd = minMax(d, has);
        List<Integer> order = new ArrayList<>();
        float[] blended = new float[n];
        for (int i = 0; i < n; i++) {
            blended[i] = has[i] ? (1 - weight) * nq[i] + weight * nd[i] : nq[i];
            order.add(i);
        }
        order.sort((a, b) -> blended[a] != blended[b] ? Float.compare(blended[b], blended[a]) : Integer.compare(a, b));
        List<Hit> out = new ArrayList<>();
        for (int r = 0; r < Math.min(size, n); r++) {
            out.add(new Hit(window.get(order.get(r)).id(), blended[order.get(r)]));
        }
        return out;
    }

    private static float[] minMax(float[] x, boolean[] present) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (int i = 0; i < x.length; i++) {
            if (present == null || present[i]) {
                min = Math.min(min, x[i]);
                max = Math.max(max, x[i]);
            }
        }
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = max > min ? (float) ((x[i] - min) / (max - min)) : 1f;
        }
        return out;
    }

    /** Same hits with the same scores, rank by rank; hits with equal scores may come in either order (Lucene breaks ties by doc id). */
    private static void assertHits(List<Hit> expected, List<Hit> actual) {
        assertEquals(expected + " vs " + actual, expected.size(), actual.size());
        Map<String, Float> byId = new HashMap<>();
        expected.forEach(h -> byId.put(h.id(), h.score()));
        for (int i = 0; i < expected.size(); i++) {
            assertEquals("rank " + i + ": " + expected + " vs " + actual, expected.get(i).score(), actual.get(i).score(), 1e-5f);
            Float e = byId.get(actual.get(i).id());
            assertNotNull(actual.get(i).id() + " not expected: " + expected + " vs " + actual, e);
            assertEquals(actual.get(i).id(), e, actual.get(i).score(), 1e-5f);
        }
    }

    public void testRescoreIsTheDocumentedBlendAndRetrieverAgrees() throws Exception {
        String model = model();
        PersonalizeFixture.Published p = PersonalizeFixture.publish(client(), model, 1);
        ensureGreen(ModelIndices.itemsIndex(model, 1));
        int window = 30;
        List<Hit> plain = hits(client().prepareSearch(ModelIndices.itemsAlias(model)).setQuery(BAG).setSize(window).get());
        assertEquals(window, plain.size());
        assertTrue("the window holds hits without a vector", plain.stream().anyMatch(h -> h.id().startsWith("nv")));
        for (float weight : new float[] { 0f, 0.25f, 0.5f, 1f }) {
            List<Hit> rescored = hits(client().prepareSearch(ModelIndices.itemsAlias(model)).setQuery(BAG).setSize(10)
                .addRescorer(alice(model, weight), window).get());
            List<Hit> expected = expected(p, plain, p.alice(), weight, 10);
            assertHits(expected, rescored);
            if (weight == 0f) {
                // the query's own order
                assertEquals(plain.subList(0, 10).stream().map(Hit::id).collect(Collectors.toSet()),
                    rescored.stream().map(Hit::id).collect(Collectors.toSet()));
            }
            List<Hit> retrieved = hits(client().prepareSearch(ModelIndices.itemsAlias(model)).setSize(10).setSource(
                new SearchSourceBuilder().size(10).retriever(new MfPersonalizeRetrieverBuilder(new StandardRetrieverBuilder(BAG),
                    alice(model, weight), window))).get());
            assertHits(expected, retrieved);
        }
        // weight 1: the window ranked by the user's dot product (hits without a vector by their query score)
        List<Hit> personal = hits(client().prepareSearch(ModelIndices.itemsAlias(model)).setQuery(BAG).setSize(window)
            .addRescorer(alice(model, 1f), window).get());
        float previous = Float.MAX_VALUE;
        for (Hit h : personal) {
            if (h.id().startsWith("i")) {
                float d = dot(p.alice(), p.item(Integer.parseInt(h.id().substring(1))));
                assertTrue(h.id() + " out of dot order", d <= previous + 1e-6f);
                previous = d;
            }
        }
    }

    public void testHistoryUserAndExplainReproduceScores() throws Exception {
        String model = model();
        int shards = randomIntBetween(1, 3);
        PersonalizeFixture.publish(client(), model, shards);
        ensureGreen(ModelIndices.itemsIndex(model, 1));
        MfPersonalizeRescorerBuilder history = new MfPersonalizeRescorerBuilder(services(), model, new UserSpec(null, List.of(
            new HistoryEntry("i4", 2f), new HistoryEntry("i8", 1f))), 0.6f, Normalization.RANK, null);
        SearchResponse r = client().prepareSearch(ModelIndices.itemsAlias(model)).setQuery(BAG).setSize(15).setExplain(true)
            .addRescorer(history, 40).get();
        try {
            SearchHit[] hits = r.getHits().getHits();
            assertEquals(15, hits.length);
            Set<String> ids = new HashSet<>();
            for (SearchHit hit : hits) {
                assertTrue(ids.add(hit.getId()));
                assertNotNull(hit.getExplanation());
                assertEquals(hit.getId() + ": " + hit.getExplanation(), hit.getScore(), hit.getExplanation().getValue().floatValue(),
                    1e-5f);
                assertTrue(hit.getExplanation().toString(), hit.getExplanation().getDescription().startsWith("mf_personalize"));
                assertTrue(hit.getScore() >= 0f && hit.getScore() <= 1f);
            }
        } finally {
            r.decRef();
        }
    }

    public void testUnknownUserLeavesTheQueryOrder() throws Exception {
        String model = model();
        PersonalizeFixture.publish(client(), model, 1);
        ensureGreen(ModelIndices.itemsIndex(model, 1));
        List<Hit> plain = hits(client().prepareSearch(ModelIndices.itemsAlias(model)).setQuery(BAG).setSize(10).get());
        List<Hit> rescored = hits(client().prepareSearch(ModelIndices.itemsAlias(model)).setQuery(BAG).setSize(10).addRescorer(
            new MfPersonalizeRescorerBuilder(services(), model, new UserSpec("nobody", null, UserSource.STORED, null),
                0.5f, null, null), 50).get());
        assertEquals(plain, rescored);
    }
}
