package dev.mfrecs.it;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.contract.TrainingRun;
import dev.mfrecs.devkit.load.DocumentLoader;
import dev.mfrecs.devkit.node.SharedNode;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.contract.CatalogSource;
import dev.mfrecs.trainer.publish.VersionManager;
import dev.mfrecs.trainer.train.RunRecorder;
import dev.mfrecs.trainer.train.TrainJob;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The small shop the lifecycle tests break things in, and the questions they ask the cluster afterwards. Events of
 * {@value #USERS} users over {@value #ITEMS} items (a few thousand, so a run takes seconds and the suite stays within the CI
 * budget) are loaded once per JVM into an index the interactions template maps; models are trained with the same small
 * parameters either in this JVM ({@link #train}) or by a real trainer process ({@link #trainArgs}), so both publish the same
 * kind of version. The helpers read what a model looks like on the cluster: its live version, its versions, its leftovers.
 */
final class LifecycleFixture {

    static final String INDEX = "interactions-lifecycle";
    static final int USERS = 400;
    static final int ITEMS = 150;
    static final int EVENTS = 6_000;
    static final int FACTORS = 8;

    private static boolean loaded;

    private LifecycleFixture() {}

    static String user(int u) {
        return "f" + u;
    }

    static String item(int i) {
        return "p" + i;
    }

    /** Stored users the query loops ask for (every user has events, so every one is trained). */
    static List<String> someUsers() {
        List<String> users = new ArrayList<>();
        for (int u = 0; u < USERS; u += 7) {
            users.add(user(u));
        }
        return users;
    }

    /** Items the query loops fold histories of. */
    static List<String> someItems() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < ITEMS; i += 3) {
            items.add(item(i));
        }
        return items;
    }

    /** Loads {@value #INDEX} once per JVM (installing the interactions template first). */
    static synchronized void ensureLoaded() throws IOException {
        if (loaded) {
            return;
        }
        ElasticsearchClient client = SharedNode.client();
        String body = ModelIndices.template("interactions.json");
        client.indices().putIndexTemplate(p -> p.name("mfrecs-interactions").withJson(new StringReader(body)));
        if (client.indices().exists(e -> e.index(INDEX)).value() == false) {
            load(INDEX, EVENTS, 13);
        }
        loaded = true;
    }

    /** Indexes {@code events} synthetic events into {@code index} (created by the caller or by the template). */
    static void load(String index, int events, long seed) throws IOException {
        ElasticsearchClient client = SharedNode.client();
        SplittableRandom random = new SplittableRandom(seed);
        long t0 = Instant.parse("2026-05-01T00:00:00Z").toEpochMilli();
        try (DocumentLoader bulk = new DocumentLoader(client, index)) {
            for (int e = 0; e < events; e++) {
                // every user has at least one event; 85% of a user's events are in their taste group
                int u = e < USERS ? e : random.nextInt(USERS);
                int i = random.nextInt(100) < 85 ? u % 5 + 5 * random.nextInt(ITEMS / 5) : random.nextInt(ITEMS);
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("user_id", user(u));
                doc.put("item_id", item(i));
                doc.put("event_type", random.nextInt(10) < 7 ? "view" : "purchase");
                doc.put("timestamp", Instant.ofEpochMilli(t0 + random.nextLong(30L * 86_400_000L)).toString());
                bulk.add(null, doc);
            }
        }
        client.indices().refresh(r -> r.index(index));
    }

    static InteractionFields fields(String index) {
        return InteractionFields.defaults(index).withWeights(Map.of("view", 1f, "purchase", 3f));
    }

    static ImplicitAlsParams params(int factors) {
        return new ImplicitAlsParams(factors, 3, 0.1f, Confidence.linear(10f), Solver.CG, 3, 42L, 1);
    }

    /** A training run of {@code model} from {@code index} in this JVM, keeping {@code keep} versions; returns the version. */
    static int train(String model, String index, int factors, int keep, CatalogSource catalog) throws IOException {
        return new TrainJob(model, fields(index), params(factors), 1, 1, catalog, keep).run(SharedNode.client(), ProgressLog.stderr());
    }

    static int train(String model) throws IOException {
        return train(model, INDEX, FACTORS, 3, null);
    }

    /** The command line of the same run for a trainer process ({@code mfrecs train ...}). */
    static List<String> trainArgs(String url, String model, String index, int keep) {
        return List.of("train", "--es", url, "--model", model, "--index", index, "--weight", "view=1", "--weight", "purchase=3",
            "--factors", Integer.toString(FACTORS), "--iterations", "3", "--regularization", "0.1", "--alpha", "10", "--threads", "1",
            "--keep", Integer.toString(keep));
    }

    /** The command line of {@code mfrecs models SUBCOMMAND MODEL ...} against the shared node. */
    static List<String> modelsArgs(String subcommand, String model, String... more) {
        List<String> args = new ArrayList<>(List.of("models", subcommand, "--es", SharedNode.node().url(), model));
        args.addAll(List.of(more));
        return args;
    }

    static VersionManager versions() throws IOException {
        return new VersionManager(SharedNode.client(), ProgressLog.stderr());
    }

    static int live(String model) throws IOException {
        return versions().liveVersion(model);
    }

    /** The versions that have a metadata document, ascending. */
    static TreeSet<Integer> described(String model) throws IOException {
        TreeSet<Integer> out = new TreeSet<>();
        for (ModelMetadata m : versions().versions(model)) {
            out.add(m.version());
        }
        return out;
    }

    static boolean exists(String index) throws IOException {
        return SharedNode.client().indices().exists(e -> e.index(index)).value();
    }

    /** Whether both indices of a version exist. */
    static boolean versionIndicesExist(String model, int version) throws IOException {
        return exists(ModelIndices.itemsIndex(model, version)) && exists(ModelIndices.usersIndex(model, version));
    }

    /** Whether either index of a version exists. */
    static boolean anyVersionIndexExists(String model, int version) throws IOException {
        return exists(ModelIndices.itemsIndex(model, version)) || exists(ModelIndices.usersIndex(model, version));
    }

    /**
     * What an unfinished publish left behind: a versioned index no metadata document describes, or a metadata document whose
     * indices are (partly) gone. Each such index or document counts once.
     */
    static List<String> orphans(String model) throws IOException {
        TreeSet<Integer> described = described(model);
        List<String> out = new ArrayList<>();
        var indices = SharedNode.client().indices().get(g -> g.index(model + "-items-v*", model + "-users-v*").allowNoIndices(true)
            .ignoreUnavailable(true)).indices().keySet();
        for (String index : new TreeSet<>(indices)) {
            int v = ModelIndices.versionOfItemsIndex(model, index.replaceFirst("-users-v", "-items-v"));
            if (v >= 0 && described.contains(v) == false) {
                out.add(index);
            }
        }
        for (int v : described) {
            if (versionIndicesExist(model, v) == false) {
                out.add(ModelIndices.metadataId(model, v) + " (indices missing)");
            }
        }
        return out;
    }

    /** The newest run record of {@code model}. */
    static TrainingRun lastRun(String model) throws IOException {
        List<TrainingRun> runs = RunRecorder.recent(SharedNode.client(), model, 1);
        if (runs.isEmpty()) {
            throw new AssertionError("no run record for model [" + model + "]");
        }
        return runs.get(0);
    }
}
