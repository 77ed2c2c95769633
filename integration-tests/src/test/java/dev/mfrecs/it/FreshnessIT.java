package dev.mfrecs.it;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.contract.CatalogSource;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.devkit.node.SharedNode;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.es.RestJson;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ItemRefresher;
import dev.mfrecs.trainer.publish.ModelLock;
import dev.mfrecs.trainer.train.TrainJob;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recommendations between trainings, on a real node: a trained user buys an item after the model's cut-off, and the next
 * {@code mf_recommend} excludes it and folds the user in again from their whole history (stored events and the new one), while
 * {@code fresh: false} keeps the stored vector but still excludes the new item; {@code _fold_in} says where a vector came from.
 * {@code backfill: popular} fills a list the filters and seen items left short, marking the filled hits.
 */
class FreshnessIT {

    static final String USER = "u17";
    static final String MODEL = "fresh";
    private static final RestJson REST = SharedNode.rest();

    @BeforeAll
    static void setUp() throws IOException {
        SyntheticShop.ensureLoadedAndTrained();
        InteractionFields fields = InteractionFields.defaults(SyntheticShop.INDEX)
            .withWeights(Map.of("view", 1f, "cart", 3f, "purchase", 5f));
        ImplicitAlsParams params = new ImplicitAlsParams(SyntheticShop.FACTORS, 10, 0.1f, Confidence.linear(2f), Solver.CG, 3, 42L, 2);
        new TrainJob(MODEL, fields, params, 1, 1, new CatalogSource(SyntheticShop.CATALOG, List.of("category", "price")), 3).run(
            SharedNode.client(), ProgressLog.stderr());
    }

    private static List<String> recommend(String user, String options) throws IOException {
        JsonNode r = REST.postOk("/" + MODEL + "-items/_search", "{\"size\": 10, \"query\": {\"mf_recommend\": {\"model\": \""
            + MODEL + "\", \"user\": \"" + user + "\", \"k\": 10" + options + "}}}");
        List<String> ids = new ArrayList<>();
        r.path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
        return ids;
    }

    private static JsonNode foldIn(String body) throws IOException {
        return REST.postOk("/_mf/model/" + MODEL + "/_fold_in", body);
    }

    @Test
    void aPurchaseAfterTrainingIsExcludedAndMovesTheVector() throws IOException {
        List<String> before = recommend(USER, "");
        assertEquals(10, before.size());
        JsonNode stored = foldIn("{\"user\": \"" + USER + "\"}");
        assertEquals("stored", stored.path("source").asText());
        String bought = before.get(0);
        REST.postOk("/" + SyntheticShop.INDEX + "/_doc?refresh=true", "{\"user_id\": \"" + USER + "\", \"item_id\": \"" + bought
            + "\", \"event_type\": \"purchase\", \"timestamp\": \"" + Instant.now() + "\"}");

        List<String> fresh = recommend(USER, "");
        assertEquals(10, fresh.size());
        assertFalse(fresh.contains(bought), "the item bought after training is excluded: " + fresh);
        JsonNode folded = foldIn("{\"user\": \"" + USER + "\", \"fresh\": true}");
        assertEquals("stored+events", folded.path("source").asText());
        assertNotEquals(stored.path("vector").toString(), folded.path("vector").toString(), "the new event moved the vector");
        // Without fresh the stored vector stays, but the live index still decides what was seen.
        assertEquals("stored", foldIn("{\"user\": \"" + USER + "\"}").path("source").asText());
        List<String> staleVector = recommend(USER, ", \"fresh\": false");
        assertFalse(staleVector.contains(bought), "seen items reflect the live index: " + staleVector);
    }

    @Test
    void backfillFillsAShortListWithPopularItemsMarked() throws IOException {
        JsonNode user = REST.get("/" + MODEL + "-users/_doc/u3?_source_includes=seen_items").body().path("_source");
        Set<String> seen = new HashSet<>();
        user.path("seen_items").forEach(s -> seen.add(s.asText()));
        List<String> seenList = new ArrayList<>(seen);
        // A filter that lets through three items the user has seen and two they have not.
        List<String> allowed = new ArrayList<>(seenList.subList(0, 3));
        for (int i = 0; allowed.size() < 5; i++) {
            if (seen.contains(SyntheticShop.item(i)) == false) {
                allowed.add(SyntheticShop.item(i));
            }
        }
        String filter = ", \"filter\": {\"ids\": {\"values\": " + RestJson.JSON.writeValueAsString(allowed) + "}}";
        assertEquals(2, recommend("u3", filter).size(), "kNN alone: the two unseen allowed items");
        JsonNode r = REST.postOk("/" + MODEL + "-items/_search", "{\"size\": 10, \"query\": {\"mf_recommend\": {\"model\": \""
            + MODEL + "\", \"user\": \"u3\", \"k\": 10, \"backfill\": \"popular\"" + filter + "}}}");
        JsonNode hits = r.path("hits").path("hits");
        assertEquals(5, hits.size(), r.toString());
        for (int i = 0; i < hits.size(); i++) {
            String id = hits.path(i).path("_id").asText();
            boolean knn = hits.path(i).path("matched_queries").toString().contains("mf_knn");
            // kNN hits first (the unseen ones), then the seen items offered last.
            assertEquals(i < 2, knn, "hit " + i + " " + id + " " + hits.path(i).path("matched_queries"));
            assertEquals(i >= 2, seen.contains(id), "hit " + i + " " + id);
        }
    }

    @Test
    void similarIgnoresUnknownItemsAndFallsBackToPopular() throws IOException {
        RestJson.Response r = REST.post("/" + MODEL + "-items/_search", "{\"size\": 5, \"query\": {\"mf_similar\": {\"model\": \""
            + MODEL + "\", \"items\": [\"i3\", \"no-such-item\"], \"k\": 5}}}");
        assertEquals(200, r.status(), r.body().toString());
        assertEquals(5, r.body().path("hits").path("hits").size());
        RestJson.Response none = REST.post("/" + MODEL + "-items/_search", "{\"size\": 5, \"query\": {\"mf_similar\": {"
            + "\"model\": \"" + MODEL + "\", \"items\": [\"no-such-item\"], \"k\": 5}}}");
        assertEquals(200, none.status(), none.body().toString());
        assertEquals(5, none.body().path("hits").path("hits").size(), "popular by default");
        RestJson.Response error = REST.post("/" + MODEL + "-items/_search", "{\"size\": 5, \"query\": {\"mf_similar\": {"
            + "\"model\": \"" + MODEL + "\", \"items\": [\"no-such-item\"], \"k\": 5, \"on_empty\": \"error\"}}}");
        assertEquals(404, error.status(), error.body().toString());
        assertTrue(error.body().toString().contains("[no-such-item]"), error.body().toString());
    }

    @Test
    void aNewItemBoughtByTwentyUsersGetsAVectorAndIsSimilarToWhatTheyShare() throws IOException {
        String item = "i-new";
        List<String> buyers = new ArrayList<>();
        StringBuilder bulk = new StringBuilder();
        for (int u = 2; buyers.size() < 20; u += SyntheticShop.GROUPS) {
            buyers.add(SyntheticShop.user(u));
            bulk.append("{\"index\": {}}\n{\"user_id\": \"").append(SyntheticShop.user(u)).append("\", \"item_id\": \"").append(item)
                .append("\", \"event_type\": \"purchase\", \"timestamp\": \"").append(Instant.now()).append("\"}\n");
        }
        assertEquals(200, REST.send("POST", "/" + SyntheticShop.INDEX + "/_bulk?refresh=true", bulk.toString()).status());
        REST.postOk("/" + SyntheticShop.CATALOG + "/_doc/i-catalog-only?refresh=true", "{\"item_id\": \"i-catalog-only\", \"category\": "
            + "\"g2\", \"price\": 7}");
        JsonNode inspected = REST.postOk("/_mf/model/" + MODEL + "/_items/_fold_in", "{\"item\": \"" + item + "\"}");
        assertEquals(20, inspected.path("items").path(0).path("users").asInt(), inspected.toString());
        assertEquals(SyntheticShop.FACTORS, inspected.path("items").path(0).path("vector").size());
        assertEquals(404, REST.get("/" + MODEL + "-items/_doc/" + item).status(), "not written by the inspection");

        EsConnection c = EsConnection.of(SharedNode.node().url());
        try (var rest = c.lowLevelClient();
             ModelLock lock = ModelLock.acquire(SharedNode.client(), MODEL, "test", ModelLock.Lease.DEFAULT, ProgressLog.stderr())) {
            ItemRefresher.Refreshed r = new ItemRefresher(SharedNode.client(), rest, ProgressLog.stderr()).refresh(MODEL, lock, 10_000);
            assertTrue(r.written() >= 1, r.toString());
            assertTrue(r.fromAttributes() >= 1, r.toString());
        }
        JsonNode doc = REST.get("/" + MODEL + "-items/_doc/" + item + "?_source_includes=*,vector").body().path("_source");
        assertEquals("events", doc.path("vector_source").asText());
        // A product added to the catalog this morning, with no events yet: a provisional vector from its attributes.
        JsonNode provisional = REST.get("/" + MODEL + "-items/_doc/i-catalog-only?_source_includes=*,vector").body().path("_source");
        assertEquals("attributes", provisional.path("vector_source").asText(), provisional.toString());
        assertEquals(SyntheticShop.FACTORS, provisional.path("vector").size());
        assertEquals("g2", provisional.path("category").asText());
        assertEquals(SyntheticShop.FACTORS, doc.path("vector").size());
        // The buyers' group is group 2: the new item's neighbours are group-2 items, and it is among a group-2 item's neighbours.
        JsonNode similar = REST.postOk("/" + MODEL + "-items/_search", "{\"size\": 10, \"query\": {\"mf_similar\": {\"model\": \""
            + MODEL + "\", \"items\": [\"" + item + "\"], \"k\": 10}}}");
        int inGroup = 0;
        for (JsonNode hit : similar.path("hits").path("hits")) {
            String id = hit.path("_id").asText();
            inGroup += id.matches("i[0-9]+") && Integer.parseInt(id.substring(1)) % SyntheticShop.GROUPS == 2 ? 1 : 0;
        }
        assertTrue(inGroup >= 7, "neighbours of the new item in its buyers' group: " + inGroup + " " + similar);
        JsonNode back = REST.postOk("/" + MODEL + "-items/_search", "{\"size\": 40, \"_source\": false, \"query\": {\"mf_similar\": {"
            + "\"model\": \"" + MODEL + "\", \"items\": [\"i2\", \"i7\", \"i12\"], \"k\": 40, \"num_candidates\": 250}}}");
        assertTrue(back.path("hits").path("hits").toString().contains("\"" + item + "\""), "the new item is similar to group-2 items");
    }
}
