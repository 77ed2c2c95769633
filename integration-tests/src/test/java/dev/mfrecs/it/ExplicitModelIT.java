package dev.mfrecs.it;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.trainer.es.ReadPlan;
import dev.mfrecs.devkit.node.SharedNode;
import dev.mfrecs.factorization.ExplicitAlsParams;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.devkit.load.DocumentLoader;
import dev.mfrecs.trainer.settings.AlgorithmSettings;
import dev.mfrecs.trainer.train.TrainJob;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An explicit model (ratings, ALS with biases) served through the same kNN: item vectors (q_i, b_i) and user vectors
 * (p_u, 1) make the inner product the predicted rating up to the user's constant, so the plugin's top-k must equal the
 * brute-force ranking by b_i + p_u.q_i over the published vectors.
 */
class ExplicitModelIT {

    static final String INDEX = "ratings-it";
    static final String MODEL = "stars";
    static final int USERS = 200;
    static final int ITEMS = 150;

    @BeforeAll
    static void load() throws IOException {
        SyntheticShop.ensureLoadedAndTrained();
        ElasticsearchClient client = SharedNode.client();
        SplittableRandom random = new SplittableRandom(3);
        double[] itemQuality = new double[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            itemQuality[i] = random.nextDouble(-1, 1);
        }
        try (DocumentLoader bulk = new DocumentLoader(client, INDEX)) {
            for (int u = 0; u < USERS; u++) {
                double taste = random.nextDouble(-1, 1);
                for (int n = 0; n < 25; n++) {
                    int i = random.nextInt(ITEMS);
                    double r = 3 + itemQuality[i] + taste * (i % 2 == 0 ? 1 : -1) + random.nextGaussian() * 0.3;
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("user_id", "r" + u);
                    doc.put("item_id", "m" + i);
                    doc.put("event_type", "rating");
                    doc.put("value", Math.max(1, Math.min(5, Math.round(r))));
                    bulk.add(null, doc);
                }
            }
        }
        client.indices().refresh(r -> r.index(INDEX));
        InteractionFields fields = new InteractionFields(INDEX, "user_id", "item_id", "event_type", "value", "timestamp", Map.of(), 0);
        new TrainJob(MODEL, new AlgorithmSettings.Als(new ExplicitAlsParams(6, 8, 0.1f, 9L, 2)), fields, 1, 1, null, 3, ReadPlan.Window.ALL)
            .run(client, ProgressLog.stderr());
    }

    private static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.path(i).asDouble();
        }
        return out;
    }

    @Test
    void personalizedRanksByPredictedRating() throws IOException {
        JsonNode user = SharedNode.rest().get("/" + MODEL + "-users/_doc/r5" + "?_source_includes=*,vector").body().path("_source");
        float[] p = floats(user.path("vector"));
        assertEquals(7, p.length);
        assertEquals(1f, p[6], 0f);
        Set<String> seen = new HashSet<>();
        user.path("seen_items").forEach(s -> seen.add(s.asText()));
        JsonNode all = SharedNode.rest().postOk("/" + MODEL + "-items/_search", "{\"size\": 1000, \"_source\": [\"vector\"]}");
        Map<String, Double> score = new HashMap<>();
        for (JsonNode hit : all.path("hits").path("hits")) {
            float[] q = floats(hit.path("_source").path("vector"));
            double s = 0;
            for (int j = 0; j < q.length; j++) {
                s += (double) q[j] * p[j];
            }
            score.put(hit.path("_id").asText(), s);
        }
        List<String> expected = new ArrayList<>(score.keySet());
        expected.removeAll(seen);
        expected.sort(Comparator.comparingDouble((String id) -> -score.get(id)).thenComparing(Comparator.naturalOrder()));
        JsonNode r = SharedNode.rest().postOk("/" + MODEL + "-items/_search", "{\"size\": 10, \"query\": {\"mf_recommend\": {\"model\": \""
            + MODEL + "\", \"user\": \"r5\", \"k\": 10, \"num_candidates\": 500}}}");
        JsonNode hits = r.path("hits").path("hits");
        assertEquals(10, hits.size());
        for (int i = 0; i < 10; i++) {
            String id = hits.path(i).path("_id").asText();
            assertFalse(seen.contains(id));
            assertEquals(score.get(expected.get(i)), score.get(id), 1e-4, "rank " + i + ": " + id + " vs " + expected.get(i));
        }
    }

    @Test
    void explicitFoldInFromRatings() throws IOException {
        JsonNode r = SharedNode.rest().postOk("/_mf/model/" + MODEL + "/_fold_in", "{\"history\": [{\"item\": \"m2\", \"value\": 5}, "
            + "{\"item\": \"m4\", \"value\": 5}, {\"item\": \"m3\", \"value\": 1}]}");
        assertEquals(7, r.path("vector").size());
        assertEquals(1.0, r.path("vector").path(6).asDouble(), 0);
        JsonNode model = SharedNode.rest().get("/_mf/model/" + MODEL).body();
        assertEquals("als", model.path("versions").path(0).path("algorithm").asText());
        assertTrue(model.path("versions").path(0).path("explicit").path("global_mean").asDouble() > 1);
    }
}
