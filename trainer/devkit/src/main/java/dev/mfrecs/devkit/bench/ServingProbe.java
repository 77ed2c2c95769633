package dev.mfrecs.devkit.bench;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.trainer.es.RestJson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times the pieces of the serving path one at a time over HTTP, from one client, the probes interleaved round-robin so
 * that load from other tenants hits them alike: plain kNN (top-level and as a query), {@code mf_recommend}, the reads
 * the plugin makes before its kNN (user GET with and without realtime and source, metadata GET, alias resolution), a
 * 100-item multi-get against the one-search doc-value read, and {@code _fold_in}. Needs a node where
 * {@code bench-serving}'s model {@code bench<d>} is published (e.g. {@code bench-serving --es URL} stopped before it
 * deletes the indices) and, for the {@code _s4} probes, a 4-shard copy {@code <model>-items-r4} of its items index.
 * Prints p50, p90, mean (client ms) and the mean server {@code took}. A diagnostic, not a benchmark with goals.
 * <p>
 * {@code java -cp trainer/devkit/target/mfrecs-devkit.jar dev.mfrecs.devkit.bench.ServingProbe URL bench64 300 [probe,probe,...]}
 */
public final class ServingProbe {

    private ServingProbe() {}

    public static void main(String[] a) throws Exception {
        String url = a[0];
        String model = a[1];
        int n = Integer.parseInt(a[2]);
        List<String> only = a.length > 3 ? Arrays.asList(a[3].split(",")) : null;
        RestJson rest = new RestJson(url, null);
        SplittableRandom r = new SplittableRandom(7);
        StringBuilder hist = new StringBuilder();
        for (int h = 0; h < 100; h++) {
            String id = "p" + r.nextInt(100000);
            hist.append(h == 0 ? "" : ",").append('"').append(id).append('"');
        }
        // a user vector for plain knn
        JsonNode u0 = rest.get("/" + model + "-users/_doc/u0").body();
        String vec = u0.path("_source").path("vector").toString();
        Map<String, String[]> probes = new LinkedHashMap<>();
        probes.put("knn", new String[] {"POST", "/" + model + "-items/_search", "{\"size\":10,\"_source\":false,\"knn\":{\"field\":"
            + "\"vector\",\"k\":10,\"num_candidates\":100,\"query_vector\":" + vec + "}}"});
        probes.put("knnq", new String[] {"POST", "/" + model + "-items/_search", "{\"size\":10,\"_source\":false,\"query\":{\"knn\":"
            + "{\"field\":\"vector\",\"k\":10,\"num_candidates\":100,\"query_vector\":" + vec + "}}}"});
        probes.put("mf_recommend", new String[] {"POST", "/" + model + "-items/_search", "{\"size\":10,\"_source\":false,\"query\":"
            + "{\"mf_recommend\":{\"model\":\"" + model + "\",\"user\":\"u%U\",\"k\":10,\"num_candidates\":100}}}"});
        probes.put("get_user", new String[] {"GET", "/" + model + "-users/_doc/u%U", null});
        probes.put("get_user_rt0", new String[] {"GET", "/" + model + "-users/_doc/u%U?realtime=false", null});
        probes.put("get_meta_nosrc", new String[] {"GET", "/mf-models/_doc/" + model + "-v1?_source=false", null});
        probes.put("resolve", new String[] {"GET", "/_resolve/index/" + model + "-items", null});
        probes.put("fold_user", new String[] {"POST", "/_mf/model/" + model + "/_fold_in", "{\"user\":\"u%U\"}"});
        probes.put("mget100", new String[] {"POST", "/" + model + "-items/_mget?_source_includes=vector,model_version",
            "{\"ids\":[" + hist + "]}"});
        probes.put("mget100_rt0", new String[] {"POST", "/" + model + "-items/_mget?realtime=false&_source_includes=vector,model_version",
            "{\"ids\":[" + hist + "]}"});
        probes.put("search_dv100", new String[] {"POST", "/" + model + "-items/_search", "{\"size\":100,\"_source\":false,"
            + "\"track_total_hits\":false,\"query\":{\"ids\":{\"values\":[" + hist + "]}},"
            + "\"docvalue_fields\":[\"vector\",\"model_version\"]}"});
        probes.put("search_dv100_none", new String[] {"POST", "/" + model + "-items/_search", "{\"size\":100,\"stored_fields\":\"_none_\","
            + "\"track_total_hits\":false,\"query\":{\"ids\":{\"values\":[" + hist + "]}},"
            + "\"docvalue_fields\":[\"item_id\",\"vector\",\"model_version\"]}"});
        probes.put("get_user_rt0_nosrc", new String[] {"GET", "/" + model + "-users/_doc/u%U?realtime=false&_source=false", null});
        probes.put("mget100_s4", new String[] {"POST", "/" + model + "-items-r4/_mget?_source_includes=vector,model_version",
            "{\"ids\":[" + hist + "]}"});
        probes.put("mget100_s4_rt0", new String[] {"POST", "/" + model
            + "-items-r4/_mget?realtime=false&_source_includes=vector,model_version", "{\"ids\":[" + hist + "]}"});
        probes.put("search_dv100_none_s4", new String[] {"POST", "/" + model + "-items-r4/_search", "{\"size\":100,"
            + "\"stored_fields\":\"_none_\",\"track_total_hits\":false,\"query\":{\"ids\":{\"values\":[" + hist + "]}},"
            + "\"docvalue_fields\":[\"item_id\",\"vector\",\"model_version\"]}"});
        probes.put("mget100_min", new String[] {"POST", "/" + model + "-items/_mget?realtime=false&_source_includes=model_version",
            "{\"ids\":[" + hist + "]}"});
        probes.put("search_dv100_none_min", new String[] {"POST", "/" + model + "-items/_search", "{\"size\":100,"
            + "\"stored_fields\":\"_none_\",\"track_total_hits\":false,\"query\":{\"ids\":{\"values\":[" + hist + "]}},"
            + "\"docvalue_fields\":[\"item_id\"]}"});
        probes.put("fold100", new String[] {"POST", "/_mf/model/" + model + "/_fold_in", "{\"history\":[" + hist + "]}"});
        if (only != null) probes.keySet().retainAll(only);
        for (var e : probes.entrySet()) { // check once
            var p = e.getValue();
            var resp = rest.send(p[0], p[1].replace("%U", "1"), p[2] == null ? null : p[2].replace("%U", "1"));
            if (!resp.ok()) throw new RuntimeException(e.getKey() + " " + resp.status() + " " + resp.body());
            String s = resp.body().toString();
            System.out.println(e.getKey() + " ok, " + s.length() + " chars: " + s.substring(0, Math.min(160, s.length())));
        }
        Map<String, double[]> t = new LinkedHashMap<>();
        Map<String, Long> took = new LinkedHashMap<>();
        for (String k : probes.keySet()) { t.put(k, new double[n]); took.put(k, 0L); }
        int warm = 100;
        for (int i = -warm; i < n; i++) {
            for (var e : probes.entrySet()) {
                var p = e.getValue();
                String u = Integer.toString((i + warm) % 1000);
                long s = System.nanoTime();
                var resp = rest.send(p[0], p[1].replace("%U", u), p[2] == null ? null : p[2].replace("%U", u));
                double ms = (System.nanoTime() - s) / 1e6;
                if (!resp.ok()) throw new RuntimeException(e.getKey() + " " + resp.status());
                if (i >= 0) { t.get(e.getKey())[i] = ms; took.merge(e.getKey(), resp.body().path("took").asLong(), Long::sum); }
            }
        }
        System.out.println(String.format(Locale.ROOT, "%-20s %8s %8s %8s %8s  (load %s)", "probe", "p50", "p90", "mean", "took",
            new String(Files.readAllBytes(Path.of("/proc/loadavg"))).trim()));
        for (var e : t.entrySet()) {
            double[] s = e.getValue().clone(); Arrays.sort(s);
            System.out.println(String.format(Locale.ROOT, "%-20s %8.2f %8.2f %8.2f %8.2f", e.getKey(), s[n / 2], s[(int) (n * 0.9)],
                Arrays.stream(s).average().orElse(0), took.get(e.getKey()) / (double) n));
        }
    }
}
