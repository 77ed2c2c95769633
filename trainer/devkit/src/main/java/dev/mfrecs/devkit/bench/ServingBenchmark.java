package dev.mfrecs.devkit.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.devkit.bench.InterleavedTimer.Request;
import dev.mfrecs.devkit.load.DocumentLoader;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.devkit.node.LocalNode;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.es.RestJson;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelLock;
import dev.mfrecs.trainer.publish.ModelPublisher;
import dev.mfrecs.trainer.publish.VersionWriter;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.StringReader;
import java.time.Instant;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * The serving benchmark: publishes a synthetic model of {@code items} items at each requested dimension through the
 * real publish path onto a real node with the plugin, then measures, over HTTP, the personalized query
 * ({@code mf_recommend} with a stored user) against a plain {@code knn} search given the same vector, the fold-in of a
 * 100-item history, and recall@10 of the HNSW results against the exact top-10 computed from the factors in memory.
 * Prints figures; asserts nothing (speed goals live here, not in timed tests).
 */
public final class ServingBenchmark implements Callable<Integer> {

    private final String url;
    private final Path esZip;
    private final Path pluginZip;
    private final int items;
    private final int[] dims;
    private final int queries;
    private final int threads;
    private final boolean forceMerge;
    private final int numCandidates;
    private final boolean personalize;
    private final PrintStream out;

    public ServingBenchmark(String url, Path esZip, Path pluginZip, int items, int[] dims, int queries, int threads, boolean forceMerge,
                            int numCandidates, PrintStream out) {
        this(url, esZip, pluginZip, items, dims, queries, threads, forceMerge, numCandidates, false, out);
    }

    /** With {@code personalize}, also the cost of an {@code mf_personalize} rescore of a 100-hit window (see {@link #personalize}). */
    public ServingBenchmark(String url, Path esZip, Path pluginZip, int items, int[] dims, int queries, int threads, boolean forceMerge,
                            int numCandidates, boolean personalize, PrintStream out) {
        this.url = url;
        this.esZip = esZip;
        this.pluginZip = pluginZip;
        this.items = items;
        this.dims = dims;
        this.queries = queries;
        this.threads = threads;
        this.forceMerge = forceMerge;
        this.numCandidates = numCandidates;
        this.personalize = personalize;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        ProgressLog log = new ProgressLog(System.err);
        LocalNode node = url == null ? LocalNode.start(esZip, pluginZip, Path.of(".recsys"), "2g", log) : null;
        try {
            String base = node != null ? node.url() : url;
            try (ElasticsearchClient client = EsConnection.of(base).client()) {
                RestJson rest = new RestJson(base, null);
                out.printf(Locale.ROOT, "%-5s %-28s %9s %9s %9s %10s%n", "d", "query", "p50 ms", "p99 ms", "mean ms", "req/s");
                for (int d : dims) {
                    run(client, rest, d, log);
                }
            }
        } finally {
            if (node != null) {
                node.close();
            }
        }
        return 0;
    }

    private void run(ElasticsearchClient client, RestJson rest, int d, ProgressLog log) throws Exception {
        String model = "bench" + d;
        int users = 1_000;
        SplittableRandom random = new SplittableRandom(d);
        SyntheticServingModel bench = SyntheticServingModel.generate(random, d, items, users, 20);
        float[] userVectors = bench.userVectors();
        CsrMatrix seen = bench.seen();
        // An interactions index holding events after the model's cut-off for every tenth user (100 each): the others cost
        // mf_recommend's freshness check one search that finds nothing, the common case; u0 has 100 new events to fold in.
        String events = model + "-events";
        long cutoff = System.currentTimeMillis() - 3_600_000L;
        writeRecentEvents(client, events, users, items, random, log);
        InteractionRecipe recipe = new InteractionRecipe(InteractionFields.defaults(events), DuplicatePolicy.SUM, null, null, null, cutoff,
            null);
        ModelMetadata metadata = bench.metadata(model, recipe);
        log.step("publishing " + items + " items at d=" + d);
        long t0 = System.nanoTime();
        try (ModelLock lock = ModelLock.acquire(client, model, "bench-serving", ModelLock.Lease.DEFAULT, log)) {
            new ModelPublisher(client, log, VersionWriter.BulkHook.NONE, forceMerge).publish(bench.artifacts(metadata), null, 1, lock);
        }
        log.step(String.format(Locale.ROOT, "published in %.1fs", (System.nanoTime() - t0) / 1e9));

        // Recall@10 of HNSW at the default num_candidates against the exact top-10 excluding seen items.
        int recallUsers = 100;
        double recall = 0;
        for (int u = 0; u < recallUsers; u++) {
            int[] exact = bench.exactTop(u, 10);
            JsonNode hits = rest.postOk("/" + model + "-items/_search", recommendBody(model, u, ", \"fresh\": false")).path("hits")
                .path("hits");
            Set<String> got = new HashSet<>();
            hits.forEach(h -> got.add(h.path("_id").asText()));
            int match = 0;
            for (int i : exact) {
                match += got.contains("p" + i) ? 1 : 0;
            }
            recall += match / 10.0;
        }
        recall /= recallUsers;

        // Users without new events (n % 10 != 0): mf_recommend's default, fresh: true, checks for new events and finds none.
        Request personalizedQuery = n -> rest.postOk("/" + model + "-items/_search", recommendBody(model, withoutNewEvents(n, users), ""));
        Request staleQuery = n -> rest.postOk("/" + model + "-items/_search", recommendBody(model, withoutNewEvents(n, users),
            ", \"fresh\": false"));
        Request plainQuery = n -> {
            int u = withoutNewEvents(n, users);
            StringBuilder v = new StringBuilder();
            for (int j = 0; j < d; j++) {
                v.append(j == 0 ? "" : ",").append(userVectors[u * d + j]);
            }
            return rest.postOk("/" + model + "-items/_search", "{\"size\": 10, \"_source\": false, \"knn\": {\"field\": \"vector\", "
                + "\"k\": 10, \"num_candidates\": " + numCandidates + ", \"query_vector\": [" + v + "]}}");
        };
        Request filteredQuery = n -> {
            int u = withoutNewEvents(n, users);
            StringBuilder v = new StringBuilder();
            for (int j = 0; j < d; j++) {
                v.append(j == 0 ? "" : ",").append(userVectors[u * d + j]);
            }
            StringBuilder ids = new StringBuilder();
            for (int k = seen.indptr()[u]; k < seen.indptr()[u + 1]; k++) {
                ids.append(k == seen.indptr()[u] ? "" : ",").append("\"p").append(seen.indices()[k]).append('"');
            }
            return rest.postOk("/" + model + "-items/_search", "{\"size\": 10, \"_source\": false, \"knn\": {\"field\": \"vector\", "
                + "\"k\": 10, \"num_candidates\": " + numCandidates + ", \"query_vector\": [" + v + "], \"filter\": {\"bool\": "
                + "{\"must_not\": {\"ids\": {\"values\": [" + ids + "]}}}}}}");
        };
        // the three searches are compared with each other, so they are measured interleaved (rounds, order rotated) rather than
        // one after the other: drift over the run (segment merges after publishing, caches, JIT) then affects them alike
        Stats[] searches = measureInterleaved(List.of(personalizedQuery, plainQuery, filteredQuery, staleQuery));
        Stats personalized = searches[0];
        Stats plain = searches[1];
        Stats filtered = searches[2];
        Stats stale = searches[3];
        StringBuilder history = new StringBuilder();
        for (int h = 0; h < 100; h++) {
            history.append(h == 0 ? "" : ",").append("\"p").append(random.nextInt(items)).append('"');
        }
        String foldBody = "{\"history\": [" + history + "]}";
        long[] serverTook = new long[1];
        Stats foldIn = measure(n -> {
            JsonNode r = rest.postOk("/_mf/model/" + model + "/_fold_in", foldBody);
            synchronized (serverTook) {
                serverTook[0] += r.path("took").asLong();
            }
            return r;
        });
        long[] freshTook = new long[1];
        Stats freshFoldIn = measure(n -> {
            JsonNode r = rest.postOk("/_mf/model/" + model + "/_fold_in", "{\"user\": \"u0\", \"fresh\": true}");
            if ("stored+events".equals(r.path("source").asText()) == false) {
                throw new IllegalStateException("u0 was not folded in again from its new events: " + r.path("source"));
            }
            synchronized (freshTook) {
                freshTook[0] += r.path("took").asLong();
            }
            return r;
        });
        out.printf(Locale.ROOT, "%-5d %-28s %s%n", d, "mf_recommend (fresh: true)", personalized);
        out.printf(Locale.ROOT, "%-5d %-28s %s%n", d, "mf_recommend (fresh: false)", stale);
        out.printf(Locale.ROOT, "%-5d %-28s %s%n", d, "knn (vector given)", plain);
        out.printf(Locale.ROOT, "%-5d %-28s %s%n", d, "knn + seen-items filter", filtered);
        out.printf(Locale.ROOT, "%-5d %-28s %s   server took mean %.2f ms%n", d, "_fold_in (100 items)", foldIn,
            serverTook[0] / (double) queries);
        out.printf(Locale.ROOT, "%-5d recall@10 of HNSW vs exact (num_candidates %d, %d users): %.3f; personalized/plain p50 = %.2f%n", d,
            numCandidates, recallUsers, recall, personalized.p50 / plain.p50);
        out.printf(Locale.ROOT, "%-5d personalized / (knn with the same exclusion filter) p50 = %.2f%n", d,
            personalized.p50 / filtered.p50);
        out.printf(Locale.ROOT, "%-5d fresh/plain p50 = %.2f, p99 = %.2f; fresh: false/plain p50 = %.2f (users without new events)%n", d,
            personalized.p50 / plain.p50, personalized.p99 / plain.p99, stale.p50 / plain.p50);
        out.printf(Locale.ROOT, "%-5d %-28s %s   server took mean %.2f ms%n", d, "_fold_in fresh (100 new events)", freshFoldIn,
            freshTook[0] / (double) queries);
        if (personalize) {
            personalize(rest, model, d, users);
        }
        out.printf(Locale.ROOT, "%-5d load average after the measurements (1, 5, 15 min): %s%n", d, loadAverage());
        rest.send("DELETE", "/" + model + "-items-v*," + model + "-users-v*," + events, null);
    }

    /** The n-th user among those with no events after the cut-off (every user but each tenth). */
    private static int withoutNewEvents(int n, int users) {
        int u = n % users;
        return u % 10 == 0 ? (u + 1) % users : u;
    }

    /** 100 purchase events now for every tenth user, in a fresh interactions index. */
    private static void writeRecentEvents(ElasticsearchClient client, String index, int users, int items, SplittableRandom random,
                                          ProgressLog log) throws IOException {
        String mapping = "{\"mappings\": {\"properties\": {\"user_id\": {\"type\": \"keyword\"}, \"item_id\": {\"type\": \"keyword\"}, "
            + "\"event_type\": {\"type\": \"keyword\"}, \"timestamp\": {\"type\": \"date\"}}}}";
        client.indices().create(c -> c.index(index).withJson(new StringReader(mapping)));
        String now = Instant.now().toString();
        try (DocumentLoader loader = new DocumentLoader(client, index)) {
            for (int u = 0; u < users; u += 10) {
                for (int e = 0; e < 100; e++) {
                    loader.add(null, Map.of("user_id", "u" + u, "item_id", "p" + random.nextInt(items), "event_type", "purchase",
                        "timestamp", now));
                }
            }
        }
        client.indices().refresh(r -> r.index(index));
        log.step("wrote 100 new events for each of " + (users + 9) / 10 + " users into [" + index + "]");
    }

    /**
     * What {@code mf_personalize} adds to the query it rescores: a query scoring every item (random scores, seeded per request), top
     * 10, measured interleaved with the same query rescored for a stored user over a 100-hit window (the user's vector read once,
     * the 100 hits' item vectors read from the segments).
     */
    private void personalize(RestJson rest, String model, int d, int users) throws Exception {
        String query = "\"query\": {\"function_score\": {\"query\": {\"match_all\": {}}, \"random_score\": {\"seed\": %d, "
            + "\"field\": \"_seq_no\"}}}";
        Request plainText = n -> rest.postOk("/" + model + "-items/_search", "{\"size\": 10, \"_source\": false, " + String.format(
            Locale.ROOT, query, n) + "}");
        Request rescored = n -> rest.postOk("/" + model + "-items/_search", "{\"size\": 10, \"_source\": false, " + String.format(
            Locale.ROOT, query, n) + ", \"rescore\": {\"window_size\": 100, \"mf_personalize\": {\"model\": \"" + model
            + "\", \"user\": \"u" + (n % users) + "\", \"weight\": 0.5}}}");
        Stats[] r = measureInterleaved(List.of(plainText, rescored));
        out.printf(Locale.ROOT, "%-5d %-28s %s%n", d, "query (random scores)", r[0]);
        out.printf(Locale.ROOT, "%-5d %-28s %s%n", d, "+ mf_personalize, window 100", r[1]);
        out.printf(Locale.ROOT, "%-5d mf_personalize adds p50 %.2f ms (mean %.2f ms)%n", d, r[1].p50 - r[0].p50, r[1].mean - r[0].mean);
    }

    /** The machine's load average from /proc/loadavg (Linux), or "n/a": the benchmark shares its cores with the node. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private String recommendBody(String model, int u, String options) {
        return "{\"size\": 10, \"_source\": false, \"query\": {\"mf_recommend\": {\"model\": \"" + model + "\", \"user\": \"u" + u
            + "\", \"k\": 10, \"num_candidates\": " + numCandidates + options + "}}}";
    }

    /** Latency percentiles and throughput of one measured run. */
    private record Stats(double p50, double p99, double mean, double throughput) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%9.2f %9.2f %9.2f %10.1f", p50, p99, mean, throughput);
        }
    }

    private Stats[] measureInterleaved(List<Request> kinds) throws Exception {
        InterleavedTimer.Timings t = InterleavedTimer.measure(kinds, queries, threads, 200);
        Stats[] out = new Stats[kinds.size()];
        for (int kind = 0; kind < out.length; kind++) {
            out[kind] = stats(t.millis()[kind], t.seconds()[kind]);
        }
        return out;
    }

    private Stats measure(Request request) throws Exception {
        for (int n = 0; n < Math.min(200, queries); n++) {
            request.send(n); // warm up
        }
        double[] millis = new double[queries];
        return stats(millis, InterleavedTimer.run(request, 0, queries, millis, threads));
    }

    private Stats stats(double[] millis, double seconds) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new Stats(sorted[(int) (0.50 * (queries - 1))], sorted[(int) (0.99 * (queries - 1))], Arrays.stream(millis).average()
            .orElse(0), queries / seconds);
    }
}
