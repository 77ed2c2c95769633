package dev.mfrecs.devkit.bench;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.contract.VectorIndexOptions;
import dev.mfrecs.devkit.bench.InterleavedTimer.Request;
import dev.mfrecs.devkit.node.LocalNode;
import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.es.RestJson;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelLock;
import dev.mfrecs.trainer.publish.ModelPublisher;
import dev.mfrecs.trainer.publish.VersionWriter;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * The serving sweep behind the kNN defaults: for each dimension, one synthetic model of {@link SweepGrid#items} items
 * (the same distribution as {@link ServingBenchmark}'s) is published through the real publish path once per index
 * configuration, each as its own model; then every configuration is searched at every {@code num_candidates} with
 * {@code mf_recommend} ({@code fresh: false}, a stored user, seen items excluded: what a default request runs). Recall@10 is
 * measured against the exact top 10 computed here from the factors; latency (client p50/p99) with all points of a dimension
 * measured interleaved, in rounds with the order rotated, so drift and other load on the machine hit them alike and each p50
 * is also given as a ratio to the first configuration at the baseline {@code num_candidates}. Prints figures; asserts
 * nothing.
 */
public final class ServingSweep implements Callable<Integer> {

    static final int SEEN_PER_USER = 20;

    private final String url;
    private final Path esZip;
    private final Path pluginZip;
    private final SweepGrid grid;
    private final double targetRecall;
    private final PrintStream out;

    public ServingSweep(String url, Path esZip, Path pluginZip, SweepGrid grid, double targetRecall, PrintStream out) {
        this.url = url;
        this.esZip = esZip;
        this.pluginZip = pluginZip;
        this.grid = grid;
        this.targetRecall = targetRecall;
        this.out = out;
    }

    /** One measured point: a configuration's published model searched at one num_candidates. */
    private record Point(int config, String model, int numCandidates) {}

    /** What publishing one configuration gave: seconds, the items index's primary store size and segment count. */
    private record Publish(double seconds, long storeBytes, long segments) {}

    @Override
    public Integer call() throws Exception {
        ProgressLog log = new ProgressLog(System.err);
        LocalNode node = url == null ? LocalNode.start(esZip, pluginZip, Path.of(".recsys"), "2g", log) : null;
        try {
            String base = node != null ? node.url() : url;
            try (ElasticsearchClient client = EsConnection.of(base).client()) {
                RestJson rest = new RestJson(base, null);
                out.printf(Locale.ROOT, "# %d items, %d users (%d seen each), k %d, %d queries per point from %d clients, recall over %d "
                    + "users; load average at the start: %s%n", grid.items(), SweepGrid.USERS, SEEN_PER_USER, SweepGrid.K, grid.queries(),
                    grid.clients(), grid.recallUsers(), ServingBenchmark.loadAverage());
                out.printf(Locale.ROOT, "%-5s %-50s %6s %9s %8s %8s %8s %9s %9s %5s%n", "d", "index_options", "num_c", "recall@10",
                    "p50 ms", "p99 ms", "p50/base", "publish s", "store MB", "segs");
                for (int d : grid.dims()) {
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
        int items = grid.items();
        int users = SweepGrid.USERS;
        SyntheticServingModel bench = SyntheticServingModel.generate(new SplittableRandom(d), d, items, users, SEEN_PER_USER);
        int[][] exact = new int[grid.recallUsers()][];
        for (int u = 0; u < exact.length; u++) {
            exact[u] = bench.exactTop(u, SweepGrid.K);
        }

        List<Point> points = new ArrayList<>();
        List<Publish> published = new ArrayList<>();
        double[] recall = new double[grid.configs().size() * grid.numCandidates().length];
        for (int c = 0; c < grid.configs().size(); c++) {
            VectorIndexOptions options = grid.configs().get(c);
            String model = "sweep" + d + "_" + c;
            // fresh: false everywhere, so the recipe's interactions index is never read and need not exist
            InteractionRecipe recipe = new InteractionRecipe(InteractionFields.defaults(model + "-events"), DuplicatePolicy.SUM, null,
                null, null, System.currentTimeMillis(), null);
            ModelMetadata metadata = bench.metadata(model, recipe);
            log.step("publishing " + items + " items at d=" + d + " with index options [" + options + "]");
            long t0 = System.nanoTime();
            try (ModelLock lock = ModelLock.acquire(client, model, "bench-sweep", ModelLock.Lease.DEFAULT, log)) {
                new ModelPublisher(client, log, VersionWriter.BulkHook.NONE, false, options).publish(bench.artifacts(metadata), null, 1,
                    lock);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            JsonNode stats = rest.get("/" + model + "-items/_stats/store,segments").body().path("_all").path("primaries");
            published.add(new Publish(seconds, stats.path("store").path("size_in_bytes").asLong(), stats.path("segments").path("count")
                .asLong()));
            log.step(String.format(Locale.ROOT, "published in %.1fs", seconds));
            for (int n = 0; n < grid.numCandidates().length; n++) {
                int numCandidates = grid.numCandidates()[n];
                points.add(new Point(c, model, numCandidates));
                double sum = 0;
                for (int u = 0; u < exact.length; u++) {
                    JsonNode hits = rest.postOk("/" + model + "-items/_search", body(model, u, numCandidates)).path("hits").path("hits");
                    Set<String> got = new HashSet<>();
                    hits.forEach(h -> got.add(h.path("_id").asText()));
                    sum += SweepGrid.recall(exact[u], got);
                }
                recall[c * grid.numCandidates().length + n] = sum / exact.length;
            }
        }

        log.step("measuring " + points.size() + " points at d=" + d + " interleaved, " + grid.queries() + " queries each");
        List<Request> kinds = new ArrayList<>();
        for (Point p : points) {
            kinds.add(n -> rest.postOk("/" + p.model() + "-items/_search", body(p.model(), n % SweepGrid.USERS, p.numCandidates())));
        }
        double[][] millis = InterleavedTimer.measure(kinds, grid.queries(), grid.clients(), 100).millis();
        int baseline = Arrays.binarySearch(grid.numCandidates(), grid.baseline());
        double baseP50 = percentile(millis[baseline], 0.50);
        Point best = null;
        double bestP50 = Double.MAX_VALUE;
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            Publish pub = published.get(p.config());
            double p50 = percentile(millis[i], 0.50);
            out.printf(Locale.ROOT, "%-5d %-50s %6d %9.3f %8.2f %8.2f %8.2f %9.1f %9.1f %5d%n", d, grid.configs().get(p.config()),
                p.numCandidates(), recall[i], p50, percentile(millis[i], 0.99), p50 / baseP50, pub.seconds(), pub.storeBytes() / 1e6,
                pub.segments());
            if (recall[i] >= targetRecall && p50 < bestP50) {
                best = p;
                bestP50 = p50;
            }
        }
        if (best == null) {
            out.printf(Locale.ROOT, "%-5d no point reaches recall@10 %.2f%n", d, targetRecall);
        } else {
            out.printf(Locale.ROOT, "%-5d fastest point with recall@10 >= %.2f: [%s] num_candidates %d, p50 %.2f ms = %.2f x the baseline "
                + "(first configuration at num_candidates %d)%n", d, targetRecall, grid.configs().get(best.config()), best.numCandidates(),
                bestP50, bestP50 / baseP50, grid.baseline());
        }
        out.printf(Locale.ROOT, "%-5d load average after the measurements (1, 5, 15 min): %s%n", d, ServingBenchmark.loadAverage());
        rest.send("DELETE", "/sweep" + d + "_*-items-v*,sweep" + d + "_*-users-v*", null);
    }

    private static String body(String model, int u, int numCandidates) {
        return "{\"size\": " + SweepGrid.K + ", \"_source\": false, \"query\": {\"mf_recommend\": {\"model\": \"" + model + "\", \"user\": "
            + "\"u" + u + "\", \"k\": " + SweepGrid.K + ", \"num_candidates\": " + numCandidates + ", \"fresh\": false}}}";
    }

    /** The q-quantile (nearest rank below) of the values. */
    static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) (q * (sorted.length - 1))];
    }
}
