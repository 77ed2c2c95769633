package dev.mfrecs.devkit.bench;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.es.RestJson;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed-loop load driver for {@code mf_recommend}: the latency a client sees for personalized results, which the
 * plugin's own {@code took} does not cover (it leaves out the coordinating rewrite's lookups and the HTTP round trip).
 * <p>
 * {@code threads} workers send {@code requests} searches in total on the model's items alias, each as soon as the
 * previous one of that worker answered: alternately for a stored user (a random id from the users alias: one get of the
 * stored vector) and for a new user given as an inline history of 3 random items (one multi-get and a fold-in solve).
 * A warm-up of {@code warmup} requests, not counted, comes first. Every answer must be a 200 with {@code k} hits;
 * anything else is counted as an error and the first few are printed.
 */
public final class QueryLoad {

    /** The parameters of one run. */
    public record Params(String model, int threads, int requests, int warmup, int k, long seed) {
        public Params {
            if (threads < 1 || threads > 1024) {
                throw new IllegalArgumentException("[--clients] must be in [1, 1024], got [" + threads + "]");
            }
            if (requests < 1) {
                throw new IllegalArgumentException("[load] requests must be positive, got [" + requests + "]");
            }
            if (warmup < 0) {
                throw new IllegalArgumentException("[load] warmup must not be negative, got [" + warmup + "]");
            }
            if (k < 1 || k > 10_000) {
                throw new IllegalArgumentException("[load] k must be in [1, 10000], got [" + k + "]");
            }
            String invalid = ModelIndices.validateModelName(model);
            if (invalid != null) {
                throw new IllegalArgumentException("[load] " + invalid);
            }
        }
    }

    /** Latency percentiles (milliseconds) and counts of one kind of request. */
    public record Stats(String kind, int count, int errors, double p50, double p95, double p99, double max, double mean) {}

    /** The result of a run: per-kind and overall statistics, wall time and throughput. */
    public record Result(List<Stats> stats, double seconds, double throughput, int errors) {}

    private static final int SAMPLE = 1_000;
    private static final int MAX_PRINTED_ERRORS = 5;

    private final EsConnection connection;
    private final HttpClient http;
    private final String authorization;
    private final PrintStream out;

    public QueryLoad(EsConnection connection, PrintStream out) {
        this.connection = connection;
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10));
        if (connection.sslContext() != null) {
            b.sslContext(connection.sslContext());
        }
        this.http = b.build();
        this.authorization = connection.authorizationHeader();
        this.out = out;
    }

    public Result run(Params params) throws IOException, InterruptedException {
        RestJson rest = new RestJson(connection.url().toString(), authorization);
        List<String> users = ids(rest, ModelIndices.usersAlias(params.model()));
        List<String> items = ids(rest, ModelIndices.itemsAlias(params.model()));
        if (users.isEmpty() || items.size() < 3) {
            throw new IllegalArgumentException("[load] model [" + params.model() + "] has [" + users.size() + "] users and [" + items.size()
                + "] items; need at least 1 and 3");
        }
        out.printf(Locale.ROOT, "load: model [%s], %d sampled users, %d sampled items, %d clients, %d requests (+%d warm-up), k=%d%n",
            params.model(), users.size(), items.size(), params.threads(), params.requests(), params.warmup(), params.k());
        String path = "/" + ModelIndices.itemsAlias(params.model()) + "/_search";
        List<String> bodies = bodies(params, users, items);

        ExecutorService pool = Executors.newFixedThreadPool(params.threads());
        try {
            drive(pool, params.threads(), path, bodies.subList(0, params.warmup()), params.k(), null, null);
            long[] nanos = new long[params.requests()];
            boolean[] failed = new boolean[params.requests()];
            long start = System.nanoTime();
            drive(pool, params.threads(), path, bodies.subList(params.warmup(), bodies.size()), params.k(), nanos, failed);
            double seconds = (System.nanoTime() - start) / 1e9;
            List<Stats> stats = new ArrayList<>();
            stats.add(stats("stored user", nanos, failed, 0));
            stats.add(stats("3-item history", nanos, failed, 1));
            stats.add(stats("all", nanos, failed, -1));
            int errors = stats.get(2).errors();
            return new Result(stats, seconds, params.requests() / seconds, errors);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Prints a result as a small table. */
    public void print(Result r) {
        out.printf(Locale.ROOT, "%-15s %8s %7s %9s %9s %9s %9s %9s%n", "request", "count", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms",
            "mean ms");
        for (Stats s : r.stats()) {
            out.printf(Locale.ROOT, "%-15s %8d %7d %9.1f %9.1f %9.1f %9.1f %9.1f%n", s.kind(), s.count(), s.errors(), s.p50(), s.p95(),
                s.p99(), s.max(), s.mean());
        }
        out.printf(Locale.ROOT, "throughput: %.1f requests/s over %.1f s%n", r.throughput(), r.seconds());
    }

    /** Request i is a stored user when i is even, an inline 3-item history when odd. */
    private static List<String> bodies(Params params, List<String> users, List<String> items) {
        SplittableRandom random = new SplittableRandom(params.seed());
        List<String> bodies = new ArrayList<>(params.warmup() + params.requests());
        for (int i = 0; i < params.warmup() + params.requests(); i++) {
            String who;
            if ((i - params.warmup()) % 2 == 0) {
                who = "\"user\": " + RestJson.JSON.valueToTree(users.get(random.nextInt(users.size())));
            } else {
                List<String> history = new ArrayList<>(3);
                while (history.size() < 3) {
                    String item = items.get(random.nextInt(items.size()));
                    if (history.contains(item) == false) {
                        history.add(item);
                    }
                }
                who = "\"history\": " + RestJson.JSON.valueToTree(history);
            }
            bodies.add("{\"size\": " + params.k() + ", \"_source\": false, \"query\": {\"mf_recommend\": {\"model\": "
                + RestJson.JSON.valueToTree(params.model()) + ", " + who + ", \"k\": " + params.k() + "}}}");
        }
        return bodies;
    }

    private void drive(ExecutorService pool, int threads, String path, List<String> bodies, int k, long[] nanos, boolean[] failed)
        throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger printed = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                    long t0 = System.nanoTime();
                    String error = send(path, bodies.get(i), k);
                    long took = System.nanoTime() - t0;
                    if (nanos != null) {
                        nanos[i] = took;
                        failed[i] = error != null;
                    }
                    if (error != null && printed.getAndIncrement() < MAX_PRINTED_ERRORS) {
                        out.println("load: request failed: " + error);
                    }
                }
            }));
        }
        for (Future<?> f : workers) {
            try {
                f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("[load] worker failed: " + e.getCause(), e.getCause());
            }
        }
    }

    /** Sends one search; null when it answered 200 with k hits, else a description of what came back. */
    private String send(String path, String body, int k) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(connection.url() + path))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return "[" + r.statusCode() + "] " + abbreviate(r.body()) + " for body [" + body + "]";
            }
            int hits = RestJson.JSON.readTree(r.body()).path("hits").path("hits").size();
            return hits == k ? null : "[" + hits + "] hits instead of [" + k + "] for body [" + body + "]";
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Up to {@value #SAMPLE} document ids of an alias, in index order: the stored users and items requests pick from. */
    private static List<String> ids(RestJson rest, String alias) throws IOException {
        String body = "{\"size\": " + SAMPLE + ", \"_source\": false, \"query\": {\"match_all\": {}}}";
        RestJson.Response r = rest.post("/" + alias + "/_search", body);
        if (r.ok() == false) {
            throw new IOException("[load] reading ids from [" + alias + "] answered [" + r.status() + "]: "
                + abbreviate(r.body().toString()));
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode hit : r.body().path("hits").path("hits")) {
            ids.add(hit.path("_id").asText());
        }
        return ids;
    }

    /** Percentiles by nearest rank over the successful requests of one kind (parity 0 or 1, or -1 for all). */
    static Stats stats(String kind, long[] nanos, boolean[] failed, int parity) {
        long[] ok = new long[nanos.length];
        int n = 0;
        int errors = 0;
        for (int i = 0; i < nanos.length; i++) {
            if (parity >= 0 && i % 2 != parity) {
                continue;
            }
            if (failed[i]) {
                errors++;
            } else {
                ok[n++] = nanos[i];
            }
        }
        long[] sorted = Arrays.copyOf(ok, n);
        Arrays.sort(sorted);
        double mean = n == 0 ? Double.NaN : Arrays.stream(sorted).average().orElse(Double.NaN) / 1e6;
        return new Stats(kind, n + errors, errors, percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99),
            n == 0 ? Double.NaN : sorted[n - 1] / 1e6, mean);
    }

    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)] / 1e6;
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
