package dev.mfrecs.it;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.devkit.node.SharedNode;
import dev.mfrecs.trainer.es.RestJson;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.mfrecs.it.SyntheticShop.MODEL;
import static dev.mfrecs.it.SyntheticShop.groupOfItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Personalized search and the business controls over HTTP on the real node, and the documented recipes
 * (docs/personalized-search.md): {@code mf_personalize} as a rescorer and as a retriever puts the user's taste group first among
 * equally matching hits, {@code function_score} around {@code mf_recommend}, pinned and excluded items, {@code because}, diversity
 * and dither, and the 400s for bad input. The {@code rrf}, {@code linear} and {@code rule} recipes need Elasticsearch modules the
 * integ-test distribution does not ship (rank-rrf, ent-search): they run only on a node that has them and are skipped otherwise.
 */
class PersonalizedSearchIT {

    private static RestJson rest;
    private static final String ITEMS = "/" + MODEL + "-items/_search";
    /** Items of groups 2 and 3 match equally: the query cannot tell them apart, the user's taste (group 2) can. */
    private static final String QUERY = "{\"match\": {\"category\": \"g2 g3\"}}";

    @BeforeAll
    static void setUp() throws IOException {
        SyntheticShop.ensureLoadedAndTrained();
        rest = SharedNode.rest();
    }

    private static List<String> ids(JsonNode response) {
        List<String> out = new ArrayList<>();
        response.path("hits").path("hits").forEach(h -> out.add(h.path("_id").asText()));
        return out;
    }

    private static int inGroup(List<String> ids, int group) {
        return (int) ids.stream().filter(id -> groupOfItem(Integer.parseInt(id.substring(1))) == group).count();
    }

    private static boolean nodeHas(String module) throws IOException {
        JsonNode nodes = rest.get("/_nodes/plugins").body().path("nodes");
        boolean[] found = new boolean[1];
        nodes.forEach(n -> n.path("modules").forEach(m -> found[0] |= m.path("name").asText().equals(module)));
        return found[0];
    }

    @Test
    void rescorerAndRetrieverPutTheUsersTasteFirst() throws IOException {
        List<String> plain = ids(rest.postOk(ITEMS, "{\"size\": 10, \"_source\": false, \"query\": " + QUERY + "}"));
        assertEquals(10, plain.size());
        String personalize = "\"model\": \"" + MODEL + "\", \"user\": \"u2\", \"weight\": 0.8";
        List<String> rescored = ids(rest.postOk(ITEMS, "{\"size\": 10, \"_source\": false, \"query\": " + QUERY + ", \"rescore\": "
            + "{\"window_size\": 80, \"mf_personalize\": {" + personalize + "}}}"));
        assertEquals(10, rescored.size());
        assertTrue(inGroup(rescored, 2) >= 9, "rescored: " + rescored);
        List<String> retrieved = ids(rest.postOk(ITEMS, "{\"size\": 10, \"_source\": false, \"retriever\": {\"mf_personalize\": "
            + "{\"retriever\": {\"standard\": {\"query\": " + QUERY + "}}, \"window_size\": 80, " + personalize + "}}}"));
        assertEquals(rescored, retrieved);
        // a new customer given as a history of group-3 items gets group 3 first
        List<String> history = ids(rest.postOk(ITEMS, "{\"size\": 10, \"_source\": false, \"query\": " + QUERY + ", \"rescore\": "
            + "{\"window_size\": 80, \"mf_personalize\": {\"model\": \"" + MODEL + "\", \"history\": [\"i3\", \"i8\", \"i13\"], "
            + "\"weight\": 0.8}}}"));
        assertTrue(inGroup(history, 3) >= 9, "history: " + history);
    }

    @Test
    void explainShowsTheBlend() throws IOException {
        JsonNode r = rest.postOk(ITEMS + "?explain=true", "{\"size\": 5, \"_source\": false, \"query\": " + QUERY + ", \"rescore\": "
            + "{\"window_size\": 50, \"mf_personalize\": {\"model\": \"" + MODEL + "\", \"user\": \"u2\"}}}");
        for (JsonNode hit : r.path("hits").path("hits")) {
            assertEquals(hit.path("_score").asDouble(), hit.path("_explanation").path("value").asDouble(), 1e-5);
            assertTrue(hit.path("_explanation").path("description").asText().startsWith("mf_personalize"), hit.toString());
        }
    }

    /** Recipe: function_score around mf_recommend multiplies each recommendation's score by a field (here the price). */
    @Test
    void functionScoreAroundRecommend() throws IOException {
        String recommend = "{\"mf_recommend\": {\"model\": \"" + MODEL + "\", \"user\": \"u4\", \"k\": 20}}";
        JsonNode plain = rest.postOk(ITEMS, "{\"size\": 20, \"_source\": [\"price\"], \"query\": " + recommend + "}");
        Map<String, Double> scores = new HashMap<>();
        plain.path("hits").path("hits").forEach(h -> scores.put(h.path("_id").asText(), h.path("_score").asDouble()));
        JsonNode boosted = rest.postOk(ITEMS, "{\"size\": 20, \"_source\": [\"price\"], \"query\": {\"function_score\": {\"query\": "
            + recommend + ", \"field_value_factor\": {\"field\": \"price\"}, \"boost_mode\": \"multiply\"}}}");
        assertEquals(scores.size(), boosted.path("hits").path("hits").size());
        double previous = Double.MAX_VALUE;
        for (JsonNode h : boosted.path("hits").path("hits")) {
            double expected = scores.get(h.path("_id").asText()) * h.path("_source").path("price").asDouble();
            assertEquals(expected, h.path("_score").asDouble(), 1e-4 * expected);
            assertTrue(h.path("_score").asDouble() <= previous);
            previous = h.path("_score").asDouble();
        }
    }

    /** Recipe (core only): pinned items first and excluded items never, around mf_recommend. */
    @Test
    void pinnedAndExcludedWithABoolQuery() throws IOException {
        String recommend = "{\"mf_recommend\": {\"model\": \"" + MODEL + "\", \"user\": \"u2\", \"k\": 10}}";
        List<String> plain = ids(rest.postOk(ITEMS, "{\"size\": 10, \"_source\": false, \"query\": " + recommend + "}"));
        String excluded = plain.get(0);
        List<String> r = ids(rest.postOk(ITEMS, "{\"size\": 10, \"_source\": false, \"query\": {\"bool\": {\"should\": "
            + "[{\"constant_score\": {\"filter\": {\"ids\": {\"values\": [\"i1\"]}}, \"boost\": 1000}}, " + recommend + "], "
            + "\"must_not\": {\"ids\": {\"values\": [\"" + excluded + "\"]}}}}}"));
        assertEquals("i1", r.get(0));
        assertFalse(r.contains(excluded), r.toString());
    }

    /** Recipe: hybrid text and personalization with rrf (rank-rrf module). */
    @Test
    void rrfHybrid() throws IOException {
        Assumptions.assumeTrue(nodeHas("rank-rrf"), "the node has no rank-rrf module (the integ-test distribution does not ship it)");
        List<String> r = ids(rest.postOk(ITEMS, "{\"size\": 10, \"_source\": false, \"retriever\": {\"rrf\": {\"retrievers\": ["
            + "{\"standard\": {\"query\": " + QUERY + "}}, {\"standard\": {\"query\": {\"mf_recommend\": {\"model\": \"" + MODEL
            + "\", \"user\": \"u2\", \"k\": 50}}}}], \"rank_window_size\": 50}}}"));
        assertTrue(inGroup(r, 2) >= 8, r.toString());
    }

    /** Recipe: hybrid with the linear retriever, min-max normalized (rank-rrf module). */
    @Test
    void linearHybrid() throws IOException {
        Assumptions.assumeTrue(nodeHas("rank-rrf"), "the node has no rank-rrf module (the integ-test distribution does not ship it)");
        List<String> r = ids(rest.postOk(ITEMS, "{\"size\": 10, \"_source\": false, \"retriever\": {\"linear\": {\"retrievers\": ["
            + "{\"retriever\": {\"standard\": {\"query\": " + QUERY + "}}, \"weight\": 1, \"normalizer\": \"minmax\"}, "
            + "{\"retriever\": {\"standard\": {\"query\": {\"mf_recommend\": {\"model\": \"" + MODEL + "\", \"user\": \"u2\", \"k\": 50}}}}"
            + ", \"weight\": 1, \"normalizer\": \"minmax\"}], \"rank_window_size\": 50}}}"));
        assertTrue(inGroup(r, 2) >= 8, r.toString());
    }

    /** Recipe: pinned and excluded items with the rule retriever around mf_recommend (ent-search module). */
    @Test
    void ruleRetrieverPinsAndExcludes() throws IOException {
        Assumptions.assumeTrue(nodeHas("x-pack-ent-search"),
            "the node has no ent-search module (the integ-test distribution does not ship it)");
        assertEquals(200, rest.put("/_query_rules/shop-rules", "{\"rules\": [{\"rule_id\": \"pin\", \"type\": \"pinned\", \"criteria\": "
            + "[{\"type\": \"always\"}], \"actions\": {\"ids\": [\"i1\"]}}, {\"rule_id\": \"hide\", \"type\": \"exclude\", \"criteria\": "
            + "[{\"type\": \"always\"}], \"actions\": {\"ids\": [\"i2\"]}}]}").status());
        List<String> r = ids(rest.postOk(ITEMS, "{\"size\": 10, \"_source\": false, \"retriever\": {\"rule\": {\"ruleset_ids\": "
            + "[\"shop-rules\"], \"match_criteria\": {}, \"retriever\": {\"standard\": {\"query\": {\"mf_recommend\": {\"model\": \""
            + MODEL + "\", \"user\": \"u2\", \"k\": 10}}}}}}}"));
        assertEquals("i1", r.get(0));
        assertFalse(r.contains("i2"));
    }

    @Test
    void becauseDiversityAndDitherOverHttp() throws IOException {
        JsonNode r = rest.postOk(ITEMS + "?explain=true", "{\"size\": 10, \"_source\": false, \"query\": {\"mf_recommend\": {\"model\": \""
            + MODEL + "\", \"history\": [\"i2\", \"i7\", \"i12\", \"i17\"], \"k\": 10, \"because\": 2, \"diversity\": "
            + "{\"lambda\": 0.7}}}}");
        assertEquals(10, r.path("hits").path("hits").size());
        for (JsonNode hit : r.path("hits").path("hits")) {
            JsonNode because = hit.path("fields").path("_mf_because");
            assertEquals(2, because.size(), hit.toString());
            assertTrue(List.of("i2", "i7", "i12", "i17").contains(because.path(0).path("item").asText()));
            assertTrue(because.path(0).path("contribution").asDouble() >= because.path(1).path("contribution").asDouble());
            assertTrue(hit.path("_explanation").toString().contains("because"), hit.toString());
        }
        String dither = "{\"size\": 10, \"_source\": false, \"query\": {\"mf_recommend\": {\"model\": \"" + MODEL + "\", \"user\": \"u7\", "
            + "\"dither\": {\"epsilon\": 2, \"seed\": 11}}}}";
        assertEquals(ids(rest.postOk(ITEMS, dither)), ids(rest.postOk(ITEMS, dither)));
        JsonNode similar = rest.postOk(ITEMS, "{\"size\": 5, \"_source\": false, \"query\": {\"mf_similar\": {\"model\": \"" + MODEL
            + "\", \"items\": [\"i0\"], \"k\": 5, \"boost\": {\"field\": \"price\"}, \"because\": 1}}}");
        assertEquals(5, similar.path("hits").path("hits").size());
        assertEquals("i0", similar.path("hits").path("hits").path(0).path("fields").path("_mf_because").path(0).path("item").asText());
    }

    private static void assert400(String body, String message) throws IOException {
        RestJson.Response r = rest.post(ITEMS, body);
        assertEquals(400, r.status(), r.body().toString());
        assertTrue(r.body().toString().contains(message), r.body().toString());
    }

    @Test
    void badInputIsA400NamingTheParameter() throws IOException {
        String user = "\"model\": \"" + MODEL + "\", \"user\": \"u2\"";
        assert400("{\"query\": " + QUERY + ", \"rescore\": {\"mf_personalize\": {" + user + ", \"weight\": 1.5}}}",
            "[mf_personalize] [weight] must be in [0, 1], got [1.5]");
        assert400("{\"query\": " + QUERY + ", \"rescore\": {\"window_size\": 20000, \"mf_personalize\": {" + user + "}}}",
            "[mf_personalize] [window_size] must be in [1, 10000], got [20000]");
        assert400("{\"query\": " + QUERY + ", \"rescore\": {\"mf_personalize\": {" + user + ", \"colour\": 1}}}", "[colour]");
        assert400("{\"query\": {\"mf_recommend\": {" + user + ", \"diversity\": {\"lambda\": 2}}}}",
            "[mf_recommend] [diversity] [lambda] must be in [0, 1], got [2.0]");
        assert400("{\"query\": {\"mf_recommend\": {" + user + ", \"dither\": {\"epsilon\": 0.5}}}}",
            "[mf_recommend] [dither] [epsilon] must be in [1, 100], got [0.5]");
        assert400("{\"query\": {\"mf_recommend\": {" + user + ", \"boost\": {\"field\": \"category\"}}}}",
            "[mf_recommend] [boost] field [category] must be numeric, got type [text]");
        assert400("{\"query\": {\"mf_similar\": {\"model\": \"" + MODEL + "\", \"items\": [\"i0\"], \"because\": 500}}}",
            "[mf_similar] [because] must be in [0, 100], got [500]");
    }
}
