package dev.mfrecs.it;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.devkit.node.SharedNode;
import dev.mfrecs.trainer.es.RestJson;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.mfrecs.it.SyntheticShop.GROUPS;
import static dev.mfrecs.it.SyntheticShop.MODEL;
import static dev.mfrecs.it.SyntheticShop.groupOfItem;
import static dev.mfrecs.it.SyntheticShop.item;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin over HTTP on a real node: installed and listed, fold-in, personalized and similar-item queries through the
 * items alias, the knn query-vector builder, explanations, and the 4xx answers for bad input.
 */
class PluginRestIT {

    private static RestJson rest;

    @BeforeAll
    static void setUp() throws IOException {
        SyntheticShop.ensureLoadedAndTrained();
        rest = SharedNode.rest();
    }

    @Test
    void pluginIsListed() throws IOException {
        RestJson.Response r = rest.get("/_cat/plugins?format=json");
        assertEquals(200, r.status());
        List<String> names = new ArrayList<>();
        r.body().forEach(p -> names.add(p.path("component").asText()));
        assertTrue(names.contains("mf-recommendations"), "plugins: " + names);
    }

    @Test
    void foldInReturnsVectorWithModelDims() throws IOException {
        JsonNode r = rest.postOk("/_mf/model/" + MODEL + "/_fold_in",
            "{\"history\": [{\"item\": \"i0\", \"value\": 3}, \"i5\", \"nope\"]}");
        assertEquals(SyntheticShop.FACTORS, r.path("vector").size());
        assertEquals(SyntheticShop.FACTORS, r.path("dims").asInt());
        assertEquals(1, r.path("version").asInt());
        assertEquals("history", r.path("source").asText());
        assertEquals("nope", r.path("ignored_items").path(0).asText());
    }

    /**
     * A long history (more items than a search returns by default), read with one search from the vectors' doc values:
     * every known item is used, exactly the unknown ones are reported, and listing an item twice with value 1 is the
     * same as listing it once with value 2.
     */
    @Test
    void longHistoryFoldInUsesEveryKnownItemAndReportsUnknownOnes() throws IOException {
        StringBuilder twice = new StringBuilder();
        StringBuilder summed = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            twice.append('"').append(item(i)).append("\", ");
            summed.append(i < 60 ? "{\"item\": \"" + item(i) + "\", \"value\": 2}" : "\"" + item(i) + "\"").append(", ");
        }
        for (int i = 0; i < 60; i++) {
            twice.append('"').append(item(i)).append("\", ");
        }
        twice.append("\"nope-1\", \"nope-2\"");
        summed.append("\"nope-2\", \"nope-1\"");
        JsonNode a = rest.postOk("/_mf/model/" + MODEL + "/_fold_in", "{\"history\": [" + twice + "]}");
        JsonNode b = rest.postOk("/_mf/model/" + MODEL + "/_fold_in", "{\"history\": [" + summed + "]}");
        Set<String> ignoredA = new HashSet<>();
        Set<String> ignoredB = new HashSet<>();
        a.path("ignored_items").forEach(n -> ignoredA.add(n.asText()));
        b.path("ignored_items").forEach(n -> ignoredB.add(n.asText()));
        assertEquals(ignoredB, ignoredA);
        assertTrue(ignoredA.containsAll(List.of("nope-1", "nope-2")), ignoredA.toString());
        for (String ignored : ignoredA) {
            // Only items the model does not have are ignored.
            assertEquals(404, rest.get("/" + MODEL + "-items/_doc/" + ignored).status(), ignored);
        }
        for (int j = 0; j < SyntheticShop.FACTORS; j++) {
            assertEquals(b.path("vector").path(j).asDouble(), a.path("vector").path(j).asDouble(), 1e-5 * Math.max(1, Math.abs(b.path(
                "vector").path(j).asDouble())), "dim " + j);
        }
    }

    @Test
    void storedUserFoldInMatchesStoredVector() throws IOException {
        JsonNode r = rest.postOk("/_mf/model/" + MODEL + "/_fold_in", "{\"user\": \"u3\"}");
        assertEquals("stored", r.path("source").asText());
        JsonNode stored = rest.get("/" + MODEL + "-users/_doc/u3" + "?_source_includes=*,vector").body().path("_source").path("vector");
        assertEquals(stored.size(), r.path("vector").size());
        for (int j = 0; j < stored.size(); j++) {
            assertEquals(stored.path(j).asDouble(), r.path("vector").path(j).asDouble(), 1e-6);
        }
    }

    @Test
    void personalizedExcludesHistoryAndIsOrderedAndOnTaste() throws IOException {
        int group = 2;
        List<String> history = List.of(item(group), item(group + GROUPS), item(group + 2 * GROUPS));
        JsonNode r = rest.postOk("/" + MODEL + "-items/_search", "{\"size\": 10, \"query\": {\"mf_recommend\": {\"model\": \"" + MODEL
            + "\", \"history\": [\"" + String.join("\", \"", history) + "\"], \"k\": 10}}}");
        JsonNode hits = r.path("hits").path("hits");
        assertEquals(10, hits.size());
        double previous = Double.MAX_VALUE;
        int inGroup = 0;
        for (JsonNode hit : hits) {
            String id = hit.path("_id").asText();
            assertFalse(history.contains(id), "history item " + id + " was recommended");
            double score = hit.path("_score").asDouble();
            assertTrue(score <= previous, "scores not descending");
            previous = score;
            if (groupOfItem(Integer.parseInt(id.substring(1))) == group) {
                inGroup++;
            }
        }
        // 90% of a group's events are in-group; a model that learned nothing would put ~2 of 10 in the group.
        assertTrue(inGroup >= 8, "only " + inGroup + " of 10 recommendations in the user's taste group");
    }

    @Test
    void storedUserRecommendationsExcludeSeenItems() throws IOException {
        JsonNode user = rest.get("/" + MODEL + "-users/_doc/u7" + "?_source_includes=*,vector").body().path("_source");
        Set<String> seen = new HashSet<>();
        user.path("seen_items").forEach(s -> seen.add(s.asText()));
        assertFalse(seen.isEmpty());
        JsonNode r = rest.postOk("/" + MODEL + "-items/_search", "{\"size\": 20, \"query\": {\"mf_recommend\": {\"model\": \"" + MODEL
            + "\", \"user\": \"u7\", \"k\": 20}}}");
        assertEquals(20, r.path("hits").path("hits").size());
        for (JsonNode hit : r.path("hits").path("hits")) {
            assertFalse(seen.contains(hit.path("_id").asText()));
        }
    }

    @Test
    void filterInsideKnnStillReturnsK() throws IOException {
        JsonNode r = rest.postOk("/" + MODEL + "-items/_search", "{\"size\": 5, \"query\": {\"mf_recommend\": {\"model\": \"" + MODEL
            + "\", \"user\": \"u1\", \"k\": 5, \"filter\": {\"term\": {\"category\": \"g3\"}}}}}");
        assertEquals(5, r.path("hits").path("hits").size());
        for (JsonNode hit : r.path("hits").path("hits")) {
            assertEquals(3, groupOfItem(Integer.parseInt(hit.path("_id").asText().substring(1))));
        }
    }

    /**
     * Similar items share the given item's group. Judged over ten items (50 hits) rather than one: a single rarely bought item's
     * vector is noisy and HNSW is approximate, so one item's top 5 can hold two out-of-group items on a bad draw of segments.
     */
    @Test
    void similarItemsExcludeTheGivenItemAndShareItsGroup() throws IOException {
        int inGroup = 0;
        int total = 0;
        for (int item = 0; item < 10; item++) {
            JsonNode r = rest.postOk("/" + MODEL + "-items/_search", "{\"size\": 5, \"query\": {\"mf_similar\": {\"model\": \"" + MODEL
                + "\", \"items\": [\"i" + item + "\"], \"k\": 5}}}");
            JsonNode hits = r.path("hits").path("hits");
            assertEquals(5, hits.size());
            for (JsonNode hit : hits) {
                assertFalse(hit.path("_id").asText().equals("i" + item));
                inGroup += groupOfItem(Integer.parseInt(hit.path("_id").asText().substring(1))) == groupOfItem(item) ? 1 : 0;
                total++;
            }
        }
        assertTrue(inGroup >= total * 8 / 10, "only " + inGroup + " of " + total + " similar items share the given item's group");
    }

    @Test
    void knnWithQueryVectorBuilder() throws IOException {
        JsonNode r = rest.postOk("/" + MODEL + "-items/_search", "{\"knn\": {\"field\": \"vector\", \"k\": 5, \"num_candidates\": 50, "
            + "\"query_vector_builder\": {\"mf_user\": {\"model\": \"" + MODEL + "\", \"user\": \"u0\"}}}}");
        assertEquals(5, r.path("hits").path("hits").size());
    }

    @Test
    void explainContributionsSumToScore() throws IOException {
        JsonNode r = rest.postOk("/_mf/model/" + MODEL + "/_explain", "{\"history\": [\"i0\", \"i5\", \"i10\"], \"item\": \"i15\"}");
        double sum = 0;
        for (JsonNode c : r.path("contributions")) {
            sum += c.path("contribution").asDouble();
        }
        assertEquals(3, r.path("contributions").size());
        assertEquals(r.path("score").asDouble(), sum, 1e-4);
    }

    @Test
    void getModelShowsLiveVersion() throws IOException {
        JsonNode r = rest.get("/_mf/model/" + MODEL).body();
        assertTrue(r.path("live_version").asInt() >= 1);
        assertEquals("ials", r.path("versions").path(0).path("algorithm").asText());
        assertTrue(r.path("versions").path(0).path("gram").isMissingNode(), "gram should not be listed");
    }

    @Test
    void malformedJsonIs400() throws IOException {
        RestJson.Response r = rest.post("/_mf/model/" + MODEL + "/_fold_in", "{\"history\": [\"i0\", ");
        assertEquals(400, r.status(), r.body().toString());
    }

    @Test
    void unknownFieldIs400NamingIt() throws IOException {
        RestJson.Response r = rest.post("/_mf/model/" + MODEL + "/_fold_in", "{\"histroy\": [\"i0\"]}");
        assertEquals(400, r.status());
        assertTrue(r.body().toString().contains("[histroy]"), r.body().toString());
    }

    @Test
    void badQueryFieldIs400NamingIt() throws IOException {
        RestJson.Response r = rest.post("/" + MODEL + "-items/_search", "{\"query\": {\"mf_recommend\": {\"model\": \"" + MODEL
            + "\", \"user\": \"u1\", \"k\": 0}}}");
        assertEquals(400, r.status());
        assertTrue(r.body().toString().contains("[k]"), r.body().toString());
    }

    @Test
    void nanValueIs400() throws IOException {
        RestJson.Response r = rest.post("/_mf/model/" + MODEL + "/_fold_in", "{\"history\": [{\"item\": \"i0\", \"value\": \"NaN\"}]}");
        assertEquals(400, r.status());
        assertTrue(r.body().toString().contains("[NaN]"), r.body().toString());
    }

    @Test
    void emptyHistoryIs400() throws IOException {
        RestJson.Response r = rest.post("/_mf/model/" + MODEL + "/_fold_in", "{}");
        assertEquals(400, r.status());
        assertTrue(r.body().toString().contains("[user] or [history]"), r.body().toString());
    }

    @Test
    void historyLongerThanTheConfiguredMaximumIs400() throws IOException {
        assertEquals(200, rest.put("/_cluster/settings", "{\"transient\": {\"mf.fold_in.max_history\": 2}}").status());
        try {
            RestJson.Response r = rest.post("/_mf/model/" + MODEL + "/_fold_in", "{\"history\": [\"i0\", \"i1\", \"i2\"]}");
            assertEquals(400, r.status(), r.body().toString());
            // Refused while parsing, at the first entry over the limit: the message names the limit and its setting.
            assertTrue(r.body().toString().contains("[2]") && r.body().toString().contains("[mf.fold_in.max_history]"),
                r.body().toString());
        } finally {
            assertEquals(200, rest.put("/_cluster/settings", "{\"transient\": {\"mf.fold_in.max_history\": null}}").status());
        }
        assertEquals(200, rest.post("/_mf/model/" + MODEL + "/_fold_in", "{\"history\": [\"i0\", \"i1\", \"i2\"]}").status());
    }

    @Test
    void unknownModelIs404() throws IOException {
        RestJson.Response r = rest.post("/_mf/model/nosuchmodel/_fold_in", "{\"history\": [\"i0\"]}");
        assertEquals(404, r.status(), r.body().toString());
        assertTrue(r.body().toString().contains("[nosuchmodel]"), r.body().toString());
        RestJson.Response q = rest.post("/" + MODEL + "-items/_search", "{\"query\": {\"mf_recommend\": {\"model\": \"nosuchmodel\", "
            + "\"user\": \"u1\"}}}");
        assertEquals(404, q.status(), q.body().toString());
    }

    @Test
    void unknownUserWithOnEmptyErrorIs404AndPopularOtherwise() throws IOException {
        RestJson.Response r = rest.post("/" + MODEL + "-items/_search", "{\"query\": {\"mf_recommend\": {\"model\": \"" + MODEL
            + "\", \"user\": \"ghost\", \"on_empty\": \"error\"}}}");
        assertEquals(404, r.status(), r.body().toString());
        assertTrue(r.body().toString().contains("[ghost]"), r.body().toString());
        RestJson.Response p = rest.post("/" + MODEL + "-items/_search", "{\"size\": 3, \"query\": {\"mf_recommend\": {\"model\": \""
            + MODEL + "\", \"history\": [\"unknown-item\"]}}}");
        assertEquals(200, p.status(), p.body().toString());
        assertEquals(3, p.body().path("hits").path("hits").size());
    }

    @Test
    void newUserFoldedInFromInteractions() throws IOException {
        // A user the model never saw, whose events are indexed after training: fold-in reads them with the model's weights.
        rest.post("/" + SyntheticShop.INDEX + "/_doc?refresh=true", "{\"user_id\": \"newcomer\", \"item_id\": \"i1\", \"event_type\": "
            + "\"purchase\", \"timestamp\": \"2026-02-01T00:00:00Z\"}");
        JsonNode r = rest.postOk("/_mf/model/" + MODEL + "/_fold_in", "{\"user\": \"newcomer\"}");
        assertEquals("interactions", r.path("source").asText());
        assertEquals(SyntheticShop.FACTORS, r.path("vector").size());
    }
}
