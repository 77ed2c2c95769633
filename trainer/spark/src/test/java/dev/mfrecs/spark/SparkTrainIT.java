package dev.mfrecs.spark;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.trainer.es.ReadPlan;
import dev.mfrecs.devkit.node.SharedNode;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.FactorModel;
import dev.mfrecs.factorization.ImplicitAls;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.trainer.cli.MfrecsCommand;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.devkit.load.DocumentLoader;
import dev.mfrecs.trainer.publish.ModelArtifacts;
import dev.mfrecs.trainer.publish.ModelVerifier;
import dev.mfrecs.trainer.publish.VersionWriter;
import dev.mfrecs.trainer.settings.AlgorithmSettings;
import dev.mfrecs.trainer.train.Algorithm;
import dev.mfrecs.trainer.train.EngineProvider;
import dev.mfrecs.trainer.train.ImplicitTrainer;
import dev.mfrecs.trainer.train.TrainJob;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark local[2] against a real node with the plugin: reads an interactions index through a sliced point-in-time,
 * trains with our row solver in the executors ({@code --engine spark}) and with MLlib's ALS ({@code --engine spark-mllib}),
 * publishes through the trainer's path, and the plugin serves the models and folds their users in exactly as stored. The same
 * index is also trained by the single-machine engine, and the models must read the same pairs and be equally good on held-out
 * purchases (recall@10 within {@value #RECALL_TOLERANCE}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkTrainIT {

    static final int GROUPS = 5;
    static final int USERS = 500;
    static final int ITEMS = 250;
    static final int FACTORS = 16;
    static final int K = 10;
    static final String INDEX = "interactions-spark-it";
    static final double RECALL_TOLERANCE = 0.05;

    private static SparkSession spark;
    /** One held-out in-group purchase per user, never indexed. */
    private static final Map<String, String> heldOut = new LinkedHashMap<>();
    private static long events;

    @BeforeAll
    static void setUp() throws IOException {
        ElasticsearchClient client = SharedNode.client();
        String body = ModelIndices.template("interactions.json");
        client.indices().putIndexTemplate(p -> p.name("mfrecs-interactions").withJson(new StringReader(body)));
        // Three shards so the slices really cut across shards.
        client.indices().create(c -> c.index(INDEX).settings(s -> s.numberOfShards("3").numberOfReplicas("0")));
        SplittableRandom random = new SplittableRandom(11);
        long start = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        try (DocumentLoader bulk = new DocumentLoader(client, INDEX)) {
            for (int u = 0; u < USERS; u++) {
                int g = u % GROUPS;
                Set<Integer> seen = new HashSet<>();
                int n = 8 + random.nextInt(12);
                for (int e = 0; e < n; e++) {
                    int i = random.nextInt(10) < 9 ? g + GROUPS * random.nextInt(ITEMS / GROUPS) : random.nextInt(ITEMS);
                    seen.add(i);
                    for (String type : List.of("view", "cart", "purchase")) {
                        if (type.equals("view") || random.nextInt(3) == 0) {
                            Map<String, Object> doc = new LinkedHashMap<>();
                            doc.put("user_id", "u" + u);
                            doc.put("item_id", "i" + i);
                            doc.put("event_type", type);
                            doc.put("timestamp", Instant.ofEpochMilli(start + random.nextLong(30L * 86_400_000L)).toString());
                            bulk.add(null, doc);
                            events++;
                        }
                    }
                }
                int h;
                do {
                    h = g + GROUPS * random.nextInt(ITEMS / GROUPS);
                } while (seen.contains(h));
                heldOut.put("u" + u, "i" + h);
            }
        }
        client.indices().refresh(r -> r.index(INDEX));
        spark = SparkSession.builder().master("local[2]").appName("SparkTrainIT").config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4").getOrCreate();
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    static TrainJob job(String model) {
        InteractionFields fields = InteractionFields.defaults(INDEX).withWeights(Map.of("view", 1f, "cart", 3f, "purchase", 5f));
        ImplicitAlsParams params = new ImplicitAlsParams(FACTORS, 10, 0.1f, Confidence.linear(2f), Solver.CHOLESKY, 3, 42L, 2);
        return new TrainJob(model, fields, params, 1, 1, null, 2);
    }

    static JsonNode at(JsonNode node, String path) {
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        return node;
    }

    static JsonNode metadata(String model, int version) throws IOException {
        return SharedNode.rest().get("/" + ModelIndices.METADATA_INDEX + "/_doc/" + ModelIndices.metadataId(model, version)).body()
            .path("_source");
    }

    static List<String> recommend(String model, String user) throws IOException {
        var r = SharedNode.rest().post("/" + ModelIndices.itemsAlias(model) + "/_search",
            "{\"size\": " + K + ", \"_source\": [\"item_id\"], \"query\": {\"mf_recommend\": {\"model\": \"" + model + "\", \"user\": \""
                + user + "\", \"k\": " + K + "}}}");
        assertEquals(200, r.status(), () -> "mf_recommend on [" + model + "] answered " + r.body());
        List<String> items = new ArrayList<>();
        for (JsonNode hit : r.body().path("hits").path("hits")) {
            items.add(hit.path("_source").path("item_id").asText());
        }
        return items;
    }

    @Test
    @Order(1)
    void sparkModelReadsTheSamePairsIsServedAndRecommendsAsWellAsTheLocalOne() throws IOException {
        ElasticsearchClient client = SharedNode.client();
        int local = job("shop_local").run(client, ProgressLog.stderr());
        // Three slices on three shards, two executor threads.
        spark.conf().set(SparkEngine.SLICES, "3");
        SparkEngine engine = new SparkEngine(spark, EsConnectionSpec.of(EsConnection.of(SharedNode.node().url())));
        int version = job("shop_spark").run(client, ProgressLog.stderr(), VersionWriter.BulkHook.NONE, engine);
        SparkEngine mllibEngine = new SparkEngine(spark, EsConnectionSpec.of(EsConnection.of(SharedNode.node().url())),
            SparkImplicitTrainer.Backend.MLLIB);
        int mllibVersion = job("shop_mllib").run(client, ProgressLog.stderr(), VersionWriter.BulkHook.NONE, mllibEngine);

        JsonNode sparkMeta = metadata("shop_spark", version);
        JsonNode localMeta = metadata("shop_local", local);
        JsonNode mllibMeta = metadata("shop_mllib", mllibVersion);
        assertEquals("spark", sparkMeta.path("training").path("engine").asText());
        assertEquals("cholesky", sparkMeta.path("training").path("solver").asText());
        assertEquals("mfrecs", sparkMeta.path("training").path("details").path("backend").asText());
        assertEquals("spark", mllibMeta.path("training").path("engine").asText());
        assertEquals("mllib", mllibMeta.path("training").path("solver").asText());
        assertEquals("mllib", mllibMeta.path("training").path("details").path("backend").asText());
        assertEquals("local", localMeta.path("training").path("engine").asText());
        assertEquals("ials", sparkMeta.path("algorithm").asText());
        assertEquals(FACTORS * FACTORS, sparkMeta.path("implicit").path("gram").size());
        assertEquals(INDEX, sparkMeta.path("interactions").path("index").asText());
        // Sliced reading and weighting read exactly what the single-machine reader read.
        assertEquals(events, sparkMeta.path("training").path("event_count").asLong());
        for (String field : List.of("training.event_count", "user_count", "item_count", "training.pair_count")) {
            assertEquals(at(localMeta, field).asLong(), at(sparkMeta, field).asLong(), field);
            assertEquals(at(localMeta, field).asLong(), at(mllibMeta, field).asLong(), field);
        }
        // The contract's consistency check: the plugin folds Spark-trained users in from their events as Spark solved them.
        for (String model : List.of("shop_spark", "shop_mllib")) {
            ModelVerifier.Report report = new ModelVerifier(SharedNode.rest()).verify(model, 50, 3);
            System.err.println("consistency of [" + model + "]: " + report);
            assertTrue(report.passes(0.9999, 1e-3), model + ": " + report);
        }

        List<String> served = recommend("shop_spark", "u1");
        assertEquals(K, served.size(), "mf_recommend returns k hits: " + served);

        int localHits = 0;
        int sparkHits = 0;
        int mllibHits = 0;
        int overlap = 0;
        int sparkInGroup = 0;
        for (var e : heldOut.entrySet()) {
            List<String> a = recommend("shop_local", e.getKey());
            List<String> b = recommend("shop_spark", e.getKey());
            localHits += a.contains(e.getValue()) ? 1 : 0;
            sparkHits += b.contains(e.getValue()) ? 1 : 0;
            mllibHits += recommend("shop_mllib", e.getKey()).contains(e.getValue()) ? 1 : 0;
            Set<String> common = new HashSet<>(a);
            common.retainAll(b);
            overlap += common.size();
            int g = Integer.parseInt(e.getKey().substring(1)) % GROUPS;
            for (String item : b) {
                sparkInGroup += Integer.parseInt(item.substring(1)) % GROUPS == g ? 1 : 0;
            }
        }
        double localRecall = localHits / (double) USERS;
        double sparkRecall = sparkHits / (double) USERS;
        double mllibRecall = mllibHits / (double) USERS;
        double agreement = overlap / (double) (USERS * K);
        double inGroup = sparkInGroup / (double) (USERS * K);
        System.err.printf(Locale.ROOT,
            "recall@%d of held-out purchases: local %.3f, spark %.3f, spark-mllib %.3f; top-%d overlap local/spark %.3f; spark in-group "
                + "%.3f%n", K, localRecall, sparkRecall, mllibRecall, K, agreement, inGroup);
        // A random ranking of the ~240 unseen items finds the held-out one in 10 with probability ~0.04.
        assertTrue(localRecall > 0.12, "local recall@10 " + localRecall);
        assertTrue(sparkRecall >= localRecall - RECALL_TOLERANCE, "spark recall@10 " + sparkRecall + " vs local " + localRecall);
        assertTrue(mllibRecall >= localRecall - RECALL_TOLERANCE, "spark-mllib recall@10 " + mllibRecall + " vs local " + localRecall);
        assertTrue(inGroup > 0.8, "spark recommends in-group items: " + inGroup);
        assertTrue(agreement > 0.4, "top-10 overlap between the engines: " + agreement);
    }

    @Test
    @Order(2)
    void aggregationMatchesTheSingleMachineAccumulator() {
        SplittableRandom random = new SplittableRandom(3);
        InteractionMatrix.Accumulator acc = new InteractionMatrix.Accumulator();
        List<Row> rows = new ArrayList<>();
        for (int e = 0; e < 5_000; e++) {
            String user = "u" + random.nextInt(300);
            String item = "i" + random.nextInt(120);
            float w = random.nextInt(10) == 0 ? -1f : 1f + random.nextInt(3);
            acc.add(user, item, w);
            rows.add(RowFactory.create(user, item, w));
        }
        InteractionMatrix expected = acc.build(6, 25, 2f);
        Dataset<Row> pairs = SparkImplicitTrainer.aggregate(spark.createDataFrame(rows, SparkImplicitTrainer.PAIRS), 6, 25, 2f);
        Map<String, Float> actual = new HashMap<>();
        for (Row r : pairs.collectAsList()) {
            actual.put(r.getString(0) + "/" + r.getString(1), r.getFloat(2));
        }
        Map<String, Float> want = new HashMap<>();
        var m = expected.userItems();
        for (int u = 0; u < m.rows(); u++) {
            for (int k = m.indptr()[u]; k < m.indptr()[u + 1]; k++) {
                want.put(expected.users().id(u) + "/" + expected.items().id(m.indices()[k]), m.values()[k]);
            }
        }
        assertTrue(want.size() > 100 && want.size() < 5_000, "the filters keep some pairs and drop others: " + want.size());
        assertEquals(want, actual);
    }

    @Test
    @Order(3)
    void objectiveIsCloseToTheSingleMachineTrainer() {
        SplittableRandom random = new SplittableRandom(5);
        InteractionMatrix.Accumulator acc = new InteractionMatrix.Accumulator();
        List<Row> rows = new ArrayList<>();
        for (int e = 0; e < 20_000; e++) {
            int u = random.nextInt(800);
            int i = random.nextInt(10) < 8 ? u % 8 + 8 * random.nextInt(40) : random.nextInt(320);
            acc.add("u" + u, "i" + i, 1f);
            rows.add(RowFactory.create("u" + u, "i" + i, 1f));
        }
        InteractionMatrix data = acc.build(1, 1);
        ImplicitAlsParams params = new ImplicitAlsParams(FACTORS, 10, 0.5f, Confidence.linear(4f), Solver.CHOLESKY, 3, 42L, 2);
        InteractionRecipe recipe = InteractionRecipe.implicitEvents(InteractionFields.defaults("generated"));
        ModelArtifacts local = ImplicitTrainer.train("m", data, params, recipe, ProgressLog.stderr());
        ModelArtifacts remote = SparkImplicitTrainer.train(spark, "m", spark.createDataFrame(rows, SparkImplicitTrainer.PAIRS), 20_000,
            params, 1, 1, recipe, new SparkImplicitTrainer.Options(2), ProgressLog.stderr());
        double localLoss = loss(local, params);
        double sparkLoss = loss(remote, params);
        // Our objective at a random initialization, for scale: training must remove most of it on both engines.
        double untrained = ImplicitAls.loss(local.userItems(), ImplicitAls.initialize(local.userItems(), params), params.regularization(),
            params.confidence());
        System.err.printf(Locale.ROOT, "our objective: untrained %.1f, local %.1f, spark %.1f (ratio %.4f)%n", untrained, localLoss,
            sparkLoss, sparkLoss / localLoss);
        assertTrue(localLoss < untrained / 2, "local training reduces the objective");
        assertTrue(sparkLoss <= localLoss * 1.05, "spark model within 5% of the local objective: " + sparkLoss + " vs " + localLoss);
    }

    static double loss(ModelArtifacts a, ImplicitAlsParams params) {
        FactorModel f = new FactorModel(a.vectorDims(), a.userIds().size(), a.itemIds().size(), a.userVectors(), a.itemVectors());
        return ImplicitAls.loss(a.userItems(), f, params.regularization(), params.confidence());
    }

    @Test
    @Order(4)
    void rejectsWhatItCannotTrain() throws IOException {
        SparkEngine engine = new SparkEngine(spark, EsConnectionSpec.of(EsConnection.of(SharedNode.node().url())));
        TrainJob als = new TrainJob("shop_als", AlgorithmSettings.defaults(Algorithm.ALS, 42L, 2), InteractionFields.defaults(INDEX), 1, 1,
            null, 2, ReadPlan.Window.ALL);
        ReadPlan plan = new ReadPlan(InteractionRecipe.implicitEvents(InteractionFields.defaults(INDEX)), ReadPlan.query(
            InteractionRecipe.implicitEvents(InteractionFields.defaults(INDEX))));
        var e = assertThrows(IllegalArgumentException.class, () -> engine.train(als, plan, SharedNode.client(), new TrainJob.Counts(),
            ProgressLog.stderr()));
        assertEquals("[--algorithm] [als] is not supported by [--engine] [spark]; use [ials] or [--engine] [local]", e.getMessage());
        spark.conf().set(SparkEngine.SLICES, "zero");
        try {
            var bad = assertThrows(IllegalArgumentException.class, () -> engine.train(job("shop_bad"), plan, SharedNode.client(),
                new TrainJob.Counts(), ProgressLog.stderr()));
            assertEquals("[spark.mfrecs.slices] must be a positive integer, got [zero]", bad.getMessage());
        } finally {
            spark.conf().unset(SparkEngine.SLICES);
        }
        var unknown = assertThrows(IllegalArgumentException.class, () -> EngineProvider.load("flink"));
        assertTrue(unknown.getMessage().startsWith("[--engine] [flink] is not available (engines on the class path: [local, spark, "
            + "spark-mllib])"), unknown.getMessage());
        assertInstanceOf(SparkEngineProvider.class, EngineProvider.load("spark"));
        assertInstanceOf(SparkMllibEngineProvider.class, EngineProvider.load("spark-mllib"));
        var mllibAls = assertThrows(IllegalArgumentException.class, () -> new SparkEngine(spark, EsConnectionSpec.of(EsConnection.of(
            SharedNode.node().url())), SparkImplicitTrainer.Backend.MLLIB).train(als, plan, SharedNode.client(), new TrainJob.Counts(),
            ProgressLog.stderr()));
        assertEquals("[--algorithm] [als] is not supported by [--engine] [spark-mllib]; use [ials] or [--engine] [local]",
            mllibAls.getMessage());
        // MLlib solves rows exactly: the CG options are rejected like a parameter the algorithm does not use, exit code 2
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new MfrecsCommand());
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute("train", "--es", SharedNode.node().url(), "--model", "shop_cg", "--index", INDEX, "--cg-steps", "5",
            "--engine", "spark-mllib", "--master", "local[2]"));
        assertTrue(err.toString().contains("[--cg-steps] is not used by [--engine] [spark-mllib]"), err.toString());
    }

    /** Last: the CLI's run stops the Spark session it gets, which is this suite's. */
    @Test
    @Order(5)
    void cliTrainsWithEngineSpark() throws IOException {
        int code = new CommandLine(new MfrecsCommand()).execute("train", "--es", SharedNode.node().url(), "--model", "shop_cli", "--index",
            INDEX, "--weight", "purchase=1", "--factors", "8", "--iterations", "3", "--solver", "cg", "--cg-steps", "2",
            "--engine", "spark", "--master", "local[2]");
        assertEquals(0, code);
        JsonNode meta = metadata("shop_cli", 1);
        assertEquals("spark", meta.path("training").path("engine").asText());
        assertEquals("cg", meta.path("training").path("solver").asText());
        assertEquals(2, meta.path("training").path("details").path("cg_steps").asInt());
        assertEquals(8 * 8, meta.path("implicit").path("gram").size());
        assertEquals(K, recommend("shop_cli", "u2").size());
    }
}
