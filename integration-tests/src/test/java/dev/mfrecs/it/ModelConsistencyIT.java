package dev.mfrecs.it;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.devkit.node.SharedNode;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ExplicitAlsParams;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.trainer.es.ReadPlan;
import dev.mfrecs.trainer.es.RestJson;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.devkit.load.DocumentLoader;
import dev.mfrecs.trainer.publish.ModelVerifier;
import dev.mfrecs.trainer.settings.AlgorithmSettings;
import dev.mfrecs.trainer.train.Algorithm;
import dev.mfrecs.trainer.train.TrainJob;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract's consistency test: for every algorithm the local engine publishes (classic iALS, Rendle iALS, explicit ALS with
 * biases, iALS on binarized ratings), on a real node, the plugin's fold-in of 50 trained users from their events in the
 * interactions index (read with the recorded recipe: weights, decay from the recorded reference time, the training query and
 * window, duplicate aggregation, binarization) equals the stored user vector, and {@code _explain} adds up to the stored
 * vectors' dot product. The same events with timestamps mapped as {@code epoch_second}, {@code epoch_millis} and ISO-8601
 * train the same model. (The Spark engine's twin of this test is in the Spark module.)
 */
class ModelConsistencyIT {

    static final int USERS = 120;
    static final int ITEMS = 80;
    static final double COSINE = 0.9999;
    static final double EXPLAIN_ERROR = 1e-3;
    static final Instant START = Instant.parse("2026-03-01T00:00:00Z");
    /** Events before this are outside the training window. */
    static final Instant FROM = START.plusSeconds(5L * 86_400);
    static final String QUERY = "{\"bool\": {\"must_not\": {\"term\": {\"channel\": \"test\"}}}}";

    private static final List<Map<String, Object>> EVENTS = new ArrayList<>();

    @BeforeAll
    static void load() throws IOException {
        SplittableRandom random = new SplittableRandom(21);
        for (int u = 0; u < USERS; u++) {
            int group = u % 4;
            for (int n = 0, count = 12 + random.nextInt(10); n < count; n++) {
                int i = random.nextInt(5) < 4 ? group + 4 * random.nextInt(ITEMS / 4) : random.nextInt(ITEMS);
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("user_id", "c" + u);
                e.put("item_id", "p" + i);
                e.put("event_type", random.nextInt(3) == 0 ? "purchase" : "view");
                e.put("quantity", 1 + random.nextInt(3));
                // Ratings with repeats: the same user rates an item again with another value about one time in four.
                e.put("rating", 1 + random.nextInt(5));
                e.put("channel", random.nextInt(10) == 0 ? "test" : "web");
                e.put("ts_seconds", START.getEpochSecond() + random.nextLong(40L * 86_400));
                EVENTS.add(e);
                if (random.nextInt(4) == 0) {
                    Map<String, Object> again = new LinkedHashMap<>(e);
                    again.put("rating", 1 + random.nextInt(5));
                    again.put("ts_seconds", (long) e.get("ts_seconds") + 3_600);
                    EVENTS.add(again);
                }
            }
        }
        index("consistency-epoch-second", "epoch_second");
        index("consistency-epoch-millis", "epoch_millis");
        index("consistency-iso", "strict_date_optional_time");
    }

    /** The events into {@code index}, their timestamp written and mapped in {@code format}. */
    private static void index(String index, String format) throws IOException {
        ElasticsearchClient client = SharedNode.client();
        String mapping = "{\"mappings\": {\"properties\": {\"user_id\": {\"type\": \"keyword\"}, \"item_id\": {\"type\": \"keyword\"}, "
            + "\"event_type\": {\"type\": \"keyword\"}, \"channel\": {\"type\": \"keyword\"}, \"quantity\": {\"type\": \"float\"}, "
            + "\"rating\": {\"type\": \"float\"}, \"timestamp\": {\"type\": \"date\", \"format\": \"" + format + "\"}}}, "
            + "\"settings\": {\"number_of_shards\": 2, \"number_of_replicas\": 0}}";
        client.indices().create(c -> c.index(index).withJson(new StringReader(mapping)));
        try (DocumentLoader bulk = new DocumentLoader(client, index)) {
            for (Map<String, Object> e : EVENTS) {
                Map<String, Object> doc = new LinkedHashMap<>(e);
                long seconds = (long) doc.remove("ts_seconds");
                doc.put("timestamp", switch (format) {
                    case "epoch_second" -> seconds;
                    case "epoch_millis" -> seconds * 1000;
                    default -> Instant.ofEpochSecond(seconds).toString();
                });
                bulk.add(null, doc);
            }
        }
        client.indices().refresh(r -> r.index(index));
    }

    private static void train(String model, Algorithm algorithm, InteractionFields fields, ImplicitAlsParams params, ReadPlan.Window window)
        throws IOException {
        new TrainJob(model, settings(algorithm, params), fields, 1, 1, null, 2, window).run(SharedNode.client(), ProgressLog.stderr());
    }

    /** Explicit ALS takes the implicit parameters' shared part (d, sweeps, lambda, seed, threads). */
    private static AlgorithmSettings settings(Algorithm algorithm, ImplicitAlsParams p) {
        return algorithm == Algorithm.ALS
            ? new AlgorithmSettings.Als(new ExplicitAlsParams(p.factors(), p.iterations(), p.regularization(), p.seed(), p.threads()))
            : AlgorithmSettings.of(p);
    }

    private static ModelVerifier.Report verify(String model) throws IOException {
        ModelVerifier.Report report = new ModelVerifier(SharedNode.rest()).verify(model, 50, 3);
        System.err.println("consistency of [" + model + "]: " + report);
        assertEquals(50, report.users(), "users checked");
        assertTrue(report.passes(COSINE, EXPLAIN_ERROR), model + ": " + report);
        return report;
    }

    /** A stored user's training history: item to the decayed, aggregated value the model was trained on. */
    private static Map<String, Double> seenValues(String model, String user) throws IOException {
        JsonNode doc = SharedNode.rest().get("/" + ModelIndices.usersAlias(model) + "/_doc/" + user).body().path("_source");
        Map<String, Double> out = new LinkedHashMap<>();
        for (int j = 0; j < doc.path(ModelIndices.SEEN_ITEMS).size(); j++) {
            out.put(doc.path(ModelIndices.SEEN_ITEMS).path(j).asText(), doc.path(ModelIndices.SEEN_VALUES).path(j).asDouble());
        }
        return out;
    }

    private static InteractionFields weighted(String index, double halfLifeDays) {
        return new InteractionFields(index, "user_id", "item_id", "event_type", "quantity", "timestamp", Map.of("view", 1f, "purchase",
            4f), halfLifeDays);
    }

    @Test
    void classicIalsWithDecayQueryAndWindowIsTheSameForEveryTimestampFormat() throws IOException {
        ImplicitAlsParams params = new ImplicitAlsParams(8, 6, 0.1f, Confidence.linear(3f), Solver.CG, 3, 5L, 2);
        ReadPlan.Window window = new ReadPlan.Window(FROM, null, QUERY, null);
        for (String format : List.of("epoch-second", "epoch-millis", "iso")) {
            train("cons_" + format.replace('-', '_'), Algorithm.IALS, weighted("consistency-" + format, 10), params, window);
            verify("cons_" + format.replace('-', '_'));
        }
        // The three indices hold the same events, so the same decayed matrix: each user's stored training values agree. (The
        // factors themselves may differ: the read order, hence the random initialization of each row, depends on the index.)
        for (String user : List.of("c3", "c7", "c40")) {
            Map<String, Double> iso = seenValues("cons_iso", user);
            assertFalse(iso.isEmpty(), user);
            for (String other : List.of("cons_epoch_second", "cons_epoch_millis")) {
                Map<String, Double> values = seenValues(other, user);
                assertEquals(iso.keySet(), values.keySet(), other + " " + user);
                iso.forEach((item, v) -> assertEquals(v, values.get(item), 1e-5 * Math.max(1, v), other + " " + user + " " + item));
            }
        }
        // The recipe records what the plugin repeats: the decay reference is the newest event trained on, in milliseconds.
        JsonNode meta = SharedNode.rest().get("/" + ModelIndices.METADATA_INDEX + "/_doc/cons_epoch_second-v1").body().path("_source");
        @SuppressWarnings("unchecked")
        Map<String, Object> source = RestJson.JSON.convertValue(meta, Map.class);
        ModelMetadata parsed = ModelMetadata.fromMap("cons_epoch_second-v1", source);
        assertEquals(QUERY, parsed.interactions().query());
        assertEquals(FROM.toEpochMilli(), parsed.interactions().fromMillis());
        long newest = EVENTS.stream().filter(e -> "test".equals(e.get("channel")) == false).mapToLong(e -> (long) e.get("ts_seconds"))
            .max().orElseThrow() * 1000;
        assertEquals(newest, parsed.interactions().decayReferenceMillis());
    }

    @Test
    void rendleIalsWithLogConfidence() throws IOException {
        ImplicitAlsParams params = new ImplicitAlsParams(8, 6, 0.05f, Confidence.log(2f, 1f), Solver.CG, 3, 5L, 2).withRendle(0.5f, 1f);
        train("cons_rendle", Algorithm.IALS, weighted("consistency-iso", 0), params, ReadPlan.Window.ALL);
        verify("cons_rendle");
    }

    @Test
    void explicitAlsWithRepeatedRatings() throws IOException {
        InteractionFields ratings = new InteractionFields("consistency-iso", "user_id", "item_id", "event_type", "rating", "timestamp",
            Map.of(), 0);
        ImplicitAlsParams params = new ImplicitAlsParams(6, 6, 0.1f, Confidence.linear(1f), Solver.CHOLESKY, 3, 5L, 2);
        train("cons_als", Algorithm.ALS, ratings, params, ReadPlan.Window.ALL);
        verify("cons_als");
    }

    @Test
    void implicitOnBinarizedRatings() throws IOException {
        InteractionFields ratings = new InteractionFields("consistency-epoch-millis", "user_id", "item_id", "event_type", "rating",
            "timestamp", Map.of(), 0);
        ImplicitAlsParams params = new ImplicitAlsParams(6, 6, 0.1f, Confidence.linear(2f), Solver.CG, 3, 5L, 2);
        train("cons_binarized", Algorithm.IALS, ratings, params, new ReadPlan.Window(null, null, null, 4f));
        verify("cons_binarized");
    }
}
