package dev.mfrecs.plugin;

import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.Gram;
import dev.mfrecs.factorization.ImplicitFoldIn;
import dev.mfrecs.factorization.TopK;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.plugin.action.FoldInAction;
import dev.mfrecs.plugin.action.FoldInRequest;
import dev.mfrecs.plugin.action.FoldInResponse;
import dev.mfrecs.plugin.user.HistoryEntry;
import dev.mfrecs.plugin.user.UserSpec;
import dev.mfrecs.plugin.query.MfRecommendQueryBuilder;
import dev.mfrecs.plugin.query.MfSimilarQueryBuilder;
import dev.mfrecs.plugin.query.OnEmpty;

import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.bulk.BulkRequestBuilder;
import org.elasticsearch.action.search.SearchResponse;
import org.elasticsearch.action.support.WriteRequest;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.index.query.QueryBuilders;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.search.SearchHit;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.xcontent.XContentType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The plugin's queries and fold-in on an internal cluster of two data nodes with multi-shard, replicated indices: the
 * coordinating rewrite fetches the model and vectors asynchronously, kNN results match the exact ranking the factors
 * define, seen items are excluded, and fold-in equals the library kernel.
 */
@ESIntegTestCase.ClusterScope(scope = ESIntegTestCase.Scope.SUITE, numDataNodes = 2)
public class MfQueriesClusterTests extends ESIntegTestCase {

    private static final int D = 8;
    private static final int ITEMS = 120;

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(MfRecommendationsPlugin.class);
    }

    /** A published model with random factors; returns the flat item factors. */
    private float[] publish(String model, int shards) throws Exception {
        return publish(model, shards, true);
    }

    /** Without {@code itemIds}, the item documents lack {@code item_id}, as an index not written by the publisher might. */
    private float[] publish(String model, int shards, boolean itemIds) throws Exception {
        Random random = new Random(model.hashCode());
        float[] items = new float[ITEMS * D];
        for (int i = 0; i < items.length; i++) {
            items[i] = (float) random.nextGaussian();
        }
        String itemsIndex = ModelIndices.itemsIndex(model, 1);
        String body = ModelIndices.template("item-vectors.json").replace("\"dims\": 0", "\"dims\": " + D);
        Map<String, Object> parsed = XContentHelper.convertToMap(XContentType.JSON.xContent(), body, false);
        @SuppressWarnings("unchecked")
        Map<String, Object> mappings = (Map<String, Object>) parsed.get("mappings");
        prepareCreate(itemsIndex).setSettings(Settings.builder().put("index.number_of_shards", shards).put("index.number_of_replicas", 1))
            .setMapping(mappings)
            .get();
        String usersIndex = ModelIndices.usersIndex(model, 1);
        prepareCreate(usersIndex).setSettings(indexSettings(2, 1)).get();
        BulkRequestBuilder bulk = client().prepareBulk().setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
        for (int i = 0; i < ITEMS; i++) {
            float[] v = Arrays.copyOfRange(items, i * D, (i + 1) * D);
            Map<String, Object> doc = new HashMap<>(Map.of("vector", v, "vector_cosine", v, "popularity", (float) (ITEMS - i), "category",
                i % 2 == 0 ? "even" : "odd"));
            if (itemIds) {
                doc.put("item_id", "i" + i);
            }
            bulk.add(client().prepareIndex(itemsIndex).setId("i" + i).setSource(doc));
        }
        float[] user = new float[D];
        for (int j = 0; j < D; j++) {
            user[j] = (float) random.nextGaussian();
        }
        bulk.add(client().prepareIndex(usersIndex).setId("alice").setSource(Map.of("user_id", "alice", "vector", user, "seen_items",
            List.of("i1", "i2", "i3"), "seen_values", List.of(1f, 1f, 1f), ModelIndices.MODEL_VERSION, 1)));
        // bob has seen exactly his five best items, so excluding them changes his top k.
        float[] bob = new float[D];
        for (int j = 0; j < D; j++) {
            bob[j] = (float) random.nextGaussian();
        }
        List<String> bobSeen = new ArrayList<>();
        for (int i : TopK.recommend(bob, items, ITEMS, D, 5, i -> false)) {
            bobSeen.add("i" + i);
        }
        bulk.add(client().prepareIndex(usersIndex).setId("bob").setSource(Map.of("user_id", "bob", "vector", bob, "seen_items", bobSeen,
            "seen_values", List.of(1f, 1f, 1f, 1f, 1f))));
        assertFalse(bulk.get().hasFailures());
        Map<String, Object> meta = TestModels.implicit(model, 1, Gram.compute(items, ITEMS, D), ITEMS, 0.1f, Confidence.linear(2f)).toMap();
        client().prepareIndex(ModelIndices.METADATA_INDEX).setId(ModelIndices.metadataId(model, 1)).setSource(meta)
            .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE).get();
        indicesAdmin().prepareAliases(TEST_REQUEST_TIMEOUT, TEST_REQUEST_TIMEOUT).addAlias(itemsIndex, ModelIndices.itemsAlias(model))
            .addAlias(usersIndex, ModelIndices.usersAlias(model)).get();
        ensureGreen(itemsIndex, usersIndex);
        return items;
    }

    /** A node's plugin components, as a query parsed there would carry them. */
    private static MfServices services() {
        return internalCluster().getInstance(MfServices.class);
    }

    private static String model() {
        return "m" + randomAlphaOfLength(8).toLowerCase(Locale.ROOT);
    }

    public void testRecommendMatchesExactRankingAndExcludesHistory() throws Exception {
        String model = model();
        float[] items = publish(model, randomIntBetween(2, 4));
        List<HistoryEntry> history = List.of(new HistoryEntry("i5", 2f), new HistoryEntry("i9", 1f), new HistoryEntry("i40", 3f));
        int k = 10;
        SearchResponse r = client().prepareSearch(ModelIndices.itemsAlias(model))
            .setQuery(new MfRecommendQueryBuilder(services(), model, new UserSpec(null, history), null, k, ITEMS, null, null, null))
            .setSize(k)
            .get();
        try {
            // The exact answer: fold in with the library kernel, rank every item by dot product, drop the history.
            float[] hv = new float[3 * D];
            int[] ids = { 5, 9, 40 };
            for (int h = 0; h < 3; h++) {
                System.arraycopy(items, ids[h] * D, hv, h * D, D);
            }
            float[] x = new float[D];
            new ImplicitFoldIn(D).foldIn(Gram.compute(items, ITEMS, D), 0.1f, Confidence.linear(2f), hv, new float[] { 2, 1, 3 }, 3, x);
            Set<Integer> excluded = Set.of(5, 9, 40);
            int[] expected = TopK.recommend(x, items, ITEMS, D, k, excluded::contains);
            SearchHit[] hits = r.getHits().getHits();
            assertEquals(k, hits.length);
            for (int i = 0; i < k; i++) {
                assertEquals("rank " + i, "i" + expected[i], hits[i].getId());
            }
        } finally {
            r.decRef();
        }
    }

    public void testStoredUserSeenItemsAndFilter() throws Exception {
        String model = model();
        publish(model, 3);
        SearchResponse r = client().prepareSearch(ModelIndices.itemsAlias(model))
            .setQuery(new MfRecommendQueryBuilder(services(), model, new UserSpec("alice", null), null, 20, 100,
                List.of(QueryBuilders.termQuery("category", "even")), null, null))
            .setSize(20)
            .get();
        try {
            assertEquals(20, r.getHits().getHits().length);
            Set<String> seen = new HashSet<>();
            for (SearchHit hit : r.getHits().getHits()) {
                int i = Integer.parseInt(hit.getId().substring(1));
                assertEquals(0, i % 2);
                assertFalse(List.of("i1", "i2", "i3").contains(hit.getId()));
                assertTrue(seen.add(hit.getId()));
            }
        } finally {
            r.decRef();
        }
    }

    /**
     * Seen items that are the user's best are dropped after the kNN (num_candidates leaves room for k + seen) or inside
     * its filter (it does not): either way no seen item comes back and every shard still contributes k hits, and the
     * post-filtered answer is the exact ranking.
     */
    public void testSeenBestItemsExcludedWithKPerShard() throws Exception {
        String model = model();
        int shards = randomIntBetween(2, 4);
        float[] items = publish(model, shards);
        Map<String, Object> bob = client().prepareGet(ModelIndices.usersIndex(model, 1), "bob").get().getSourceAsMap();
        @SuppressWarnings("unchecked")
        List<Number> vector = (List<Number>) bob.get("vector");
        float[] x = new float[D];
        for (int j = 0; j < D; j++) {
            x[j] = vector.get(j).floatValue();
        }
        @SuppressWarnings("unchecked")
        List<String> seen = (List<String>) bob.get("seen_items");
        int k = 10;
        int[] expected = TopK.recommend(x, items, ITEMS, D, k, i -> seen.contains("i" + i));
        for (int numCandidates : new int[] { ITEMS, k + 2 }) {
            SearchResponse r = client().prepareSearch(ModelIndices.itemsAlias(model))
                .setQuery(new MfRecommendQueryBuilder(services(), model, new UserSpec("bob", null), null, k, numCandidates, null, null,
                    null))
                .setSize(ITEMS)
                .get();
            try {
                SearchHit[] hits = r.getHits().getHits();
                assertEquals("num_candidates " + numCandidates, k * shards, hits.length);
                assertEquals(k * shards, r.getHits().getTotalHits().value());
                for (SearchHit hit : hits) {
                    assertFalse(hit.getId(), seen.contains(hit.getId()));
                }
                if (numCandidates == ITEMS) {
                    for (int i = 0; i < k; i++) {
                        assertEquals("rank " + i, "i" + expected[i], hits[i].getId());
                    }
                }
            } finally {
                r.decRef();
            }
        }
        // Profiling and explaining run the same post-filter (its rewrite builds a weight inside the shard's rewrite).
        SearchResponse profiled = client().prepareSearch(ModelIndices.itemsAlias(model))
            .setQuery(new MfRecommendQueryBuilder(services(), model, new UserSpec("bob", null), null, k, ITEMS, null, null, null))
            .setSize(k)
            .setProfile(true)
            .setExplain(true)
            .get();
        try {
            SearchHit[] hits = profiled.getHits().getHits();
            assertEquals(k, hits.length);
            assertEquals(shards, profiled.getProfileResults().size());
            for (int i = 0; i < k; i++) {
                assertEquals("rank " + i, "i" + expected[i], hits[i].getId());
                assertTrue(hits[i].getExplanation().toString(), hits[i].getExplanation().isMatch());
                assertEquals(hits[i].getScore(), hits[i].getExplanation().getValue().floatValue(), 1e-5f);
            }
        } finally {
            profiled.decRef();
        }
    }

    /**
     * Inside a {@code bool}, {@code mf_recommend} is a query like Elasticsearch's {@code knn} query: its k per shard are
     * chosen first and the bool's other clauses apply to them, so a bool filter keeps exactly the matching ones, in order.
     */
    public void testRecommendInsideBoolIsFilteredAfterItsTopK() throws Exception {
        String model = model();
        publish(model, randomIntBetween(2, 4));
        MfRecommendQueryBuilder recommend = new MfRecommendQueryBuilder(services(), model, new UserSpec("bob", null), null, 10, ITEMS, null,
            null, null);
        List<String> alone = new ArrayList<>();
        SearchResponse r = client().prepareSearch(ModelIndices.itemsAlias(model)).setQuery(recommend).setSize(ITEMS).get();
        try {
            for (SearchHit hit : r.getHits().getHits()) {
                alone.add(hit.getId());
            }
        } finally {
            r.decRef();
        }
        List<String> expected = alone.stream().filter(id -> Integer.parseInt(id.substring(1)) % 2 == 0).toList();
        assertFalse(expected.isEmpty());
        r = client().prepareSearch(ModelIndices.itemsAlias(model))
            .setQuery(QueryBuilders.boolQuery().must(recommend).filter(QueryBuilders.termQuery("category", "even")))
            .setSize(ITEMS)
            .get();
        try {
            List<String> filtered = new ArrayList<>();
            for (SearchHit hit : r.getHits().getHits()) {
                filtered.add(hit.getId());
            }
            assertEquals(expected, filtered);
        } finally {
            r.decRef();
        }
    }

    public void testSimilarExcludesItemsAndMatchesCosineRanking() throws Exception {
        String model = model();
        float[] items = publish(model, 2);
        SearchResponse r = client().prepareSearch(ModelIndices.itemsAlias(model))
            .setQuery(new MfSimilarQueryBuilder(services(), model, List.of("i7"), null, 5, ITEMS, null))
            .setSize(5)
            .get();
        try {
            int[] expected = TopK.similar(items, ITEMS, D, 7, 5, true);
            SearchHit[] hits = r.getHits().getHits();
            assertEquals(5, hits.length);
            for (int i = 0; i < 5; i++) {
                assertEquals("rank " + i, "i" + expected[i], hits[i].getId());
            }
        } finally {
            r.decRef();
        }
    }

    public void testFoldInActionAndErrors() throws Exception {
        String model = model();
        publish(model, 2);
        FoldInResponse stored = client().execute(FoldInAction.INSTANCE, new FoldInRequest("mf_fold_in", model, new UserSpec("alice", null),
            null)).get();
        assertEquals(D, stored.vector().length);
        Exception missing = expectThrows(Exception.class, () -> client().execute(FoldInAction.INSTANCE, new FoldInRequest("mf_fold_in",
            "nosuchmodel", new UserSpec(null, List.of(new HistoryEntry("i1", 1f))), null)).get());
        assertNotNull(ExceptionsHelper.unwrap(missing, ResourceNotFoundException.class));
        assertTrue(missing.getMessage(), missing.getMessage().contains("[nosuchmodel]"));
        Exception ghost = expectThrows(Exception.class, () -> client().prepareSearch(ModelIndices.itemsAlias(model))
            .setQuery(new MfRecommendQueryBuilder(services(), model, new UserSpec("ghost", null), null, 5, 50, null, null, OnEmpty.ERROR))
            .get()
            .decRef());
        assertTrue(ghost.getMessage(), ExceptionsHelper.unwrap(ghost, ResourceNotFoundException.class) != null);
    }

    /**
     * The history's item vectors are read with one search from the vector field's doc values across shards on two
     * nodes: the fold-in equals the library kernel run on the published factors, unknown items are reported, duplicates
     * summed. Items without {@code item_id} (not written by the publisher) are read with the multi-get instead, with the
     * same answer.
     */
    public void testHistoryFoldInReadsExactVectorsAcrossShards() throws Exception {
        boolean itemIds = randomBoolean();
        String model = model();
        float[] items = publish(model, randomIntBetween(2, 4), itemIds);
        List<HistoryEntry> history = List.of(new HistoryEntry("i5", 1f), new HistoryEntry("nope", 1f), new HistoryEntry("i40", 3f),
            new HistoryEntry("i5", 1f), new HistoryEntry("i117", 0.5f));
        FoldInResponse r = client().execute(FoldInAction.INSTANCE, new FoldInRequest("mf_fold_in", model, new UserSpec(null, history),
            null)).get();
        assertEquals(List.of("nope"), r.ignoredItems());
        int[] ids = { 5, 40, 117 };
        float[] hv = new float[ids.length * D];
        for (int h = 0; h < ids.length; h++) {
            System.arraycopy(items, ids[h] * D, hv, h * D, D);
        }
        float[] x = new float[D];
        new ImplicitFoldIn(D).foldIn(Gram.compute(items, ITEMS, D), 0.1f, Confidence.linear(2f), hv, new float[] { 2, 3, 0.5f }, 3, x);
        for (int j = 0; j < D; j++) {
            assertEquals("dim " + j + " (item_id " + itemIds + ")", x[j], r.vector()[j], 1e-5f * Math.max(1f, Math.abs(x[j])));
        }
        // Similar items read the same way; an unknown item there is ignored (and reported in a Warning header), and with no known
        // item at all on_empty decides: the popular ranking by default, a 404 naming the items on request.
        SearchResponse similar = client().prepareSearch(ModelIndices.itemsAlias(model))
            .setQuery(new MfSimilarQueryBuilder(services(), model, List.of("i7", "nope"), null, 5, ITEMS, null))
            .setSize(5)
            .get();
        try {
            assertEquals(5, similar.getHits().getHits().length);
        } finally {
            similar.decRef();
        }
        Exception unknown = expectThrows(Exception.class, () -> client().prepareSearch(ModelIndices.itemsAlias(model))
            .setQuery(new MfSimilarQueryBuilder(services(), model, List.of("nope"), null, 5, ITEMS, null, null, OnEmpty.ERROR, null))
            .get()
            .decRef());
        assertNotNull(ExceptionsHelper.unwrap(unknown, ResourceNotFoundException.class));
        assertTrue(unknown.getMessage(), unknown.getMessage().contains("[nope]"));
    }

    /**
     * A fresh fold-in of a trained user, asked of one node several times. Version 1's metadata first reads an events index where
     * the user has done nothing: served as stored, the first time reading one thing after the other (the node knows nothing of the
     * model yet), then searching the events while the model resolves, for the version the node cached. The metadata document is
     * then rewritten to read an index where the user has events since the cut-off: the empty search sent for the cached document
     * must not be used, so the user is folded in again from the new recipe's whole history. Asked once more, the node searches
     * the new events while the model resolves and reads the likely items' vectors (the new events' and the stored history's)
     * while it reads the whole history, then only the item it lacks. Both refolds equal the library kernel on the whole history.
     */
    public void testFreshFoldInSpeculatesOnlyForTheVersionItResolves() throws Exception {
        String model = model();
        float[] items = publish(model, 2);
        long cutoff = System.currentTimeMillis() - 3_600_000L;
        String events = model + "-events";
        String empty = model + "-events-empty";
        for (String index : List.of(events, empty)) {
            prepareCreate(index).setMapping("user_id", "type=keyword", "item_id", "type=keyword", "event_type", "type=keyword",
                "timestamp", "type=date").get();
        }
        // alice's stored history is i1, i2, i3; her events: i1, i2 and i9 before the cut-off, i5 after it.
        BulkRequestBuilder bulk = client().prepareBulk().setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
        String[][] aliceEvents = { { "i1", "-7200000" }, { "i2", "-7100000" }, { "i9", "-7000000" }, { "i5", "60000" } };
        for (String[] e : aliceEvents) {
            bulk.add(client().prepareIndex(events).setSource(Map.of("user_id", "alice", "item_id", e[0], "event_type", "view", "timestamp",
                cutoff + Long.parseLong(e[1]))));
        }
        assertFalse(bulk.get().hasFailures());
        String node = internalCluster().getRandomNodeName();
        FoldInRequest fresh = new FoldInRequest("mf_fold_in", model, new UserSpec("alice", null, null, true), null);
        publishMetadata(model, items, empty, cutoff);
        for (int i = 0; i < 2; i++) {
            assertEquals("stored", internalCluster().client(node).execute(FoldInAction.INSTANCE, fresh).get().source());
        }
        publishMetadata(model, items, events, cutoff);
        FoldInResponse rewritten = internalCluster().client(node).execute(FoldInAction.INSTANCE, fresh).get();
        FoldInResponse warm = internalCluster().client(node).execute(FoldInAction.INSTANCE, fresh).get();
        int[] ids = { 1, 2, 9, 5 };
        float[] hv = new float[ids.length * D];
        for (int h = 0; h < ids.length; h++) {
            System.arraycopy(items, ids[h] * D, hv, h * D, D);
        }
        float[] x = new float[D];
        new ImplicitFoldIn(D).foldIn(Gram.compute(items, ITEMS, D), 0.1f, Confidence.linear(2f), hv, new float[] { 1, 1, 1, 1 }, 4, x);
        for (FoldInResponse r : List.of(rewritten, warm)) {
            assertEquals("the events searched for the document the node had cached were used", "stored+events", r.source());
            for (int j = 0; j < D; j++) {
                assertEquals("dim " + j, x[j], r.vector()[j], 1e-5f * Math.max(1f, Math.abs(x[j])));
            }
        }
    }

    /** (Re)writes version 1's metadata document with a recipe reading {@code events}, cut off at {@code cutoff}. */
    private void publishMetadata(String model, float[] items, String events, long cutoff) {
        Map<String, Object> meta = TestModels.implicit(model, 1, Gram.compute(items, ITEMS, D), ITEMS, 0.1f, Confidence.linear(2f),
            InteractionRecipe.implicitEvents(InteractionFields.defaults(events)).withCutoff(cutoff)).toMap();
        client().prepareIndex(ModelIndices.METADATA_INDEX).setId(ModelIndices.metadataId(model, 1)).setSource(meta)
            .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE).get();
    }

    public void testValidationNamesTheField() {
        IllegalArgumentException e = expectThrows(IllegalArgumentException.class, () -> new MfRecommendQueryBuilder(services(), "m",
            new UserSpec("u", null), null, 0, null, null, null, null));
        assertTrue(e.getMessage(), e.getMessage().contains("[k]"));
        e = expectThrows(IllegalArgumentException.class, () -> new MfRecommendQueryBuilder(services(), "m",
            new UserSpec(null, List.of(new HistoryEntry("x", Float.NaN))), null, null, null, null, null, null));
        assertTrue(e.getMessage(), e.getMessage().contains("[NaN]"));
        e = expectThrows(IllegalArgumentException.class,
            () -> new MfSimilarQueryBuilder(services(), "m", List.of(), null, null, null, null));
        assertTrue(e.getMessage(), e.getMessage().contains("[items]"));
        assertNotNull(new FoldInRequest("mf_fold_in", "BAD NAME", new UserSpec("u", null), null).validate());
        assertNull(new FoldInRequest("mf_fold_in", "good", new UserSpec("u", null), null).validate());
    }
}
