package dev.mfrecs.it;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.devkit.node.SharedNode;
import dev.mfrecs.trainer.es.RestJson;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
    private static final RestJson REST = SharedNode.rest();

    @BeforeAll
    static void setUp() throws IOException {
        SyntheticShop.ensureLoadedAndTrained();
    }

    private static List<String> recommend(String user, String options) throws IOException {
        JsonNode r = REST.postOk("/" + SyntheticShop.MODEL + "-items/_search", "{\"size\": 10, \"query\": {\"mf_recommend\": {\"model\": \""
            + SyntheticShop.MODEL + "\", \"user\": \"" + user + "\", \"k\": 10" + options + "}}}");
        List<String> ids = new ArrayList<>();
        r.path("hits").path("hits").forEach(h -> ids.add(h.path("_id").asText()));
        return ids;
    }

    private static JsonNode foldIn(String body) throws IOException {
        return REST.postOk("/_mf/model/" + SyntheticShop.MODEL + "/_fold_in", body);
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
        JsonNode user = REST.get("/" + SyntheticShop.MODEL + "-users/_doc/u3?_source_includes=seen_items").body().path("_source");
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
        JsonNode r = REST.postOk("/" + SyntheticShop.MODEL + "-items/_search", "{\"size\": 10, \"query\": {\"mf_recommend\": {\"model\": \""
            + SyntheticShop.MODEL + "\", \"user\": \"u3\", \"k\": 10, \"backfill\": \"popular\"" + filter + "}}}");
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
        RestJson.Response r = REST.post("/" + SyntheticShop.MODEL + "-items/_search", "{\"size\": 5, \"query\": {\"mf_similar\": {\"model\": \""
            + SyntheticShop.MODEL + "\", \"items\": [\"i3\", \"no-such-item\"], \"k\": 5}}}");
        assertEquals(200, r.status(), r.body().toString());
        assertEquals(5, r.body().path("hits").path("hits").size());
        RestJson.Response none = REST.post("/" + SyntheticShop.MODEL + "-items/_search", "{\"size\": 5, \"query\": {\"mf_similar\": {"
            + "\"model\": \"" + SyntheticShop.MODEL + "\", \"items\": [\"no-such-item\"], \"k\": 5}}}");
        assertEquals(200, none.status(), none.body().toString());
        assertEquals(5, none.body().path("hits").path("hits").size(), "popular by default");
        RestJson.Response error = REST.post("/" + SyntheticShop.MODEL + "-items/_search", "{\"size\": 5, \"query\": {\"mf_similar\": {"
            + "\"model\": \"" + SyntheticShop.MODEL + "\", \"items\": [\"no-such-item\"], \"k\": 5, \"on_empty\": \"error\"}}}");
        assertEquals(404, error.status(), error.body().toString());
        assertTrue(error.body().toString().contains("[no-such-item]"), error.body().toString());
    }
}
