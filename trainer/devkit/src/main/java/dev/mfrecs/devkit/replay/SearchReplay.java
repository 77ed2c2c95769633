package dev.mfrecs.devkit.replay;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.contract.CatalogSource;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.devkit.load.DocumentLoader;
import dev.mfrecs.devkit.node.LocalNode;
import dev.mfrecs.evaluation.RetailCsv;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.es.RestJson;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.train.TrainJob;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * The personalized-search replay on the bundled Online Retail log: an implicit ALS model is trained (through the real trainer
 * and publisher, on a real node) on the purchases before {@code cutoff}; then, for each text query and each customer the model
 * knows who bought, after the cut-off, products whose description matches the query, the searches are replayed and scored by
 * NDCG@10 against those purchases: plain BM25 on the description, and BM25 re-ranked by {@code mf_personalize} at each weight.
 * A second table replays {@code mf_recommend} with {@code diversity} at each lambda against each known customer's purchases of
 * products new to them, with the intra-list similarity (mean pairwise cosine of the top 10's item vectors). Prints Markdown
 * tables; asserts nothing.
 */
public final class SearchReplay implements Callable<Integer> {

    static final String MODEL = "replay";
    static final String EVENTS = "interactions-replay";
    static final String CATALOG = "products-replay";

    /** What the command line sets. */
    public record Options(String url, Path esZip, Path pluginZip, Path data, String cutoff, List<String> queries, List<Float> weights,
                          List<Float> lambdas, int window, int factors) {}

    private final Options o;
    private final PrintStream out;

    public SearchReplay(Options options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        ProgressLog log = new ProgressLog(System.err);
        LocalNode node = o.url() == null ? LocalNode.start(o.esZip(), o.pluginZip(), Path.of(".recsys"), "1g", log) : null;
        try {
            String base = node != null ? node.url() : o.url();
            RestJson rest = new RestJson(base, null);
            Map<String, Set<String>> before = new HashMap<>();
            Map<String, Set<String>> after = new HashMap<>();
            try (ElasticsearchClient client = EsConnection.of(base).client()) {
                load(client, before, after, log);
                InteractionFields fields = InteractionFields.defaults(EVENTS).withWeights(Map.of("purchase", 1f));
                ImplicitAlsParams params = new ImplicitAlsParams(o.factors(), 15, 0.1f, Confidence.linear(10f), Solver.CG, 3, 42L, Runtime
                    .getRuntime().availableProcessors());
                new TrainJob(MODEL, fields, params, 1, 1, new CatalogSource(CATALOG, List.of("description")), 1).run(client, log);
            }
            rest.postOk("/" + MODEL + "-items/_refresh", "");
            personalizedSearch(rest, before, after, log);
            diversity(rest, before, after, log);
        } finally {
            if (node != null) {
                node.close();
            }
        }
        return 0;
    }

    /** Purchases before the cut-off into the events index (for training), after it into {@code after}; the whole catalog. */
    private void load(ElasticsearchClient client, Map<String, Set<String>> before, Map<String, Set<String>> after, ProgressLog log)
        throws IOException {
        for (String t : List.of("interactions", "products")) {
            String body = ModelIndices.template(t + ".json");
            client.indices().putIndexTemplate(p -> p.name("mfrecs-" + t).withJson(new StringReader(body)));
        }
        for (String index : List.of(EVENTS, CATALOG)) {
            if (client.indices().exists(e -> e.index(index)).value()) {
                client.indices().delete(d -> d.index(index));
            }
        }
        Map<String, Map<String, Integer>> descriptions = new HashMap<>();
        long[] count = new long[2];
        try (DocumentLoader bulk = new DocumentLoader(client, EVENTS)) {
            RetailCsv.read(o.data(), line -> {
                if (line.description().isEmpty() == false) {
                    descriptions.computeIfAbsent(line.stock(), k -> new HashMap<>()).merge(line.description(), 1, Integer::sum);
                }
                if (line.customer().isEmpty() || line.isReturn() || line.quantity() <= 0) {
                    return;
                }
                if (line.timestamp().compareTo(o.cutoff()) < 0) {
                    before.computeIfAbsent(line.customer(), k -> new HashSet<>()).add(line.stock());
                    Map<String, Object> doc = new LinkedHashMap<>();
                    doc.put("user_id", line.customer());
                    doc.put("item_id", line.stock());
                    doc.put("event_type", "purchase");
                    doc.put("quantity", line.quantity());
                    doc.put("timestamp", line.timestamp());
                    bulk.add(null, doc);
                    count[0]++;
                } else {
                    after.computeIfAbsent(line.customer(), k -> new HashSet<>()).add(line.stock());
                    count[1]++;
                }
            });
        }
        try (DocumentLoader bulk = new DocumentLoader(client, CATALOG)) {
            for (var e : descriptions.entrySet()) {
                String best = e.getValue().entrySet().stream().sorted((a, b) -> a.getValue().equals(b.getValue()) ? a.getKey().compareTo(b
                    .getKey()) : b.getValue() - a.getValue()).findFirst().orElseThrow().getKey();
                bulk.add(e.getKey(), Map.of("item_id", e.getKey(), "description", best));
            }
        }
        client.indices().refresh(r -> r.index(EVENTS, CATALOG));
        log.step("replay: " + count[0] + " purchase lines before " + o.cutoff() + " (training), " + count[1] + " after (replayed)");
    }

    /** Binary-relevance NDCG@10 of a ranked list. */
    static double ndcg10(List<String> ranked, Set<String> relevant) {
        double dcg = 0;
        for (int r = 0; r < Math.min(10, ranked.size()); r++) {
            if (relevant.contains(ranked.get(r))) {
                dcg += 1 / (Math.log(r + 2) / Math.log(2));
            }
        }
        double ideal = 0;
        for (int r = 0; r < Math.min(10, relevant.size()); r++) {
            ideal += 1 / (Math.log(r + 2) / Math.log(2));
        }
        return ideal == 0 ? 0 : dcg / ideal;
    }

    private static List<String> ids(JsonNode response) {
        List<String> out = new ArrayList<>();
        response.path("hits").path("hits").forEach(h -> out.add(h.path("_id").asText()));
        return out;
    }

    private static String match(String q) {
        return "{\"match\": {\"description\": " + RestJson.JSON.valueToTree(q) + "}}";
    }

    private void personalizedSearch(RestJson rest, Map<String, Set<String>> before, Map<String, Set<String>> after, ProgressLog log)
        throws IOException {
        String items = "/" + MODEL + "-items/_search";
        // per query and relevance set (all purchases, products new to the customer): [pairs, bm25, weight...] sums
        List<Map<String, double[]>> sums = List.of(new TreeMap<>(), new TreeMap<>());
        int columns = 2 + o.weights().size();
        for (String q : o.queries()) {
            Set<String> matching = new HashSet<>(ids(rest.postOk(items, "{\"size\": 10000, \"_source\": false, \"query\": " + match(q)
                + "}")));
            List<String> bm25 = ids(rest.postOk(items, "{\"size\": 10, \"_source\": false, \"query\": " + match(q) + "}"));
            double[][] s = new double[2][columns];
            for (var e : after.entrySet()) {
                Set<String> seen = before.get(e.getKey());
                if (seen == null) {
                    continue; // the model does not know this customer
                }
                Set<String> relevant = new HashSet<>(e.getValue());
                relevant.retainAll(matching);
                if (relevant.isEmpty()) {
                    continue;
                }
                Set<String> fresh = new HashSet<>(relevant);
                fresh.removeAll(seen);
                List<List<String>> lists = new ArrayList<>();
                lists.add(bm25);
                for (float w : o.weights()) {
                    String body = "{\"size\": 10, \"_source\": false, \"query\": " + match(q) + ", \"rescore\": {\"window_size\": " + o
                        .window() + ", \"mf_personalize\": {\"model\": \"" + MODEL + "\", \"user\": \"" + e.getKey() + "\", \"weight\": "
                        + w + "}}}";
                    lists.add(ids(rest.postOk(items, body)));
                }
                for (int set = 0; set < 2; set++) {
                    Set<String> rel = set == 0 ? relevant : fresh;
                    if (rel.isEmpty()) {
                        continue;
                    }
                    s[set][0]++;
                    for (int i = 0; i < lists.size(); i++) {
                        s[set][1 + i] += ndcg10(lists.get(i), rel);
                    }
                }
            }
            for (int set = 0; set < 2; set++) {
                sums.get(set).put(q, s[set]);
            }
            log.step(String.format(Locale.ROOT, "replay: query [%s]: %d matching products, %d customer-query pairs", q, matching.size(),
                (int) s[0][0]));
        }
        for (int set = 0; set < 2; set++) {
            out.println();
            out.println("Personalized search: NDCG@10 of the replayed post-cut-off purchases matching the query, " + (set == 0
                ? "all of them" : "only products the customer had not bought before the cut-off") + " (window " + o.window() + ")");
            out.println();
            StringBuilder header = new StringBuilder("| query | pairs | BM25 |");
            StringBuilder rule = new StringBuilder("| --- | --- | --- |");
            for (float w : o.weights()) {
                header.append(" mf_personalize ").append(w).append(" |");
                rule.append(" --- |");
            }
            out.println(header);
            out.println(rule);
            double[] total = new double[columns];
            for (var e : sums.get(set).entrySet()) {
                out.println(row(e.getKey(), e.getValue()));
                for (int i = 0; i < columns; i++) {
                    total[i] += e.getValue()[i];
                }
            }
            out.println(row("all pairs", total));
        }
    }

    private static String row(String name, double[] s) {
        StringBuilder b = new StringBuilder("| ").append(name).append(" | ").append((long) s[0]).append(" |");
        for (int i = 1; i < s.length; i++) {
            b.append(String.format(Locale.ROOT, " %.4f |", s[0] == 0 ? 0 : s[i] / s[0]));
        }
        return b.toString();
    }

    private void diversity(RestJson rest, Map<String, Set<String>> before, Map<String, Set<String>> after, ProgressLog log)
        throws IOException {
        String items = "/" + MODEL + "-items/_search";
        int n = o.lambdas().size();
        double[] ndcg = new double[n + 1];
        double[] ild = new double[n + 1];
        int users = 0;
        for (var e : after.entrySet()) {
            Set<String> seen = before.get(e.getKey());
            if (seen == null) {
                continue;
            }
            Set<String> fresh = new HashSet<>(e.getValue());
            fresh.removeAll(seen);
            if (fresh.isEmpty()) {
                continue;
            }
            users++;
            for (int l = 0; l <= n; l++) {
                String diversity = l == 0 ? "" : ", \"diversity\": {\"lambda\": " + o.lambdas().get(l - 1) + "}";
                JsonNode r = rest.postOk(items, "{\"size\": 10, \"_source\": false, \"docvalue_fields\": [\"vector\"], \"query\": "
                    + "{\"mf_recommend\": {\"model\": \"" + MODEL + "\", \"user\": \"" + e.getKey() + "\", \"k\": 10" + diversity + "}}}");
                ndcg[l] += ndcg10(ids(r), fresh);
                ild[l] += meanPairwiseCosine(r);
            }
        }
        log.step("replay: diversity over " + users + " customers");
        out.println();
        out.println("mf_recommend with diversity (MMR): NDCG@10 of each known customer's post-cut-off purchases of products new to them,");
        out.println("and intra-list similarity (mean pairwise cosine of the top 10's item vectors; lower is more diverse), " + users
            + " customers");
        out.println();
        out.println("| diversity | NDCG@10 | mean pairwise cosine |");
        out.println("| --- | --- | --- |");
        for (int l = 0; l <= n; l++) {
            out.printf(Locale.ROOT, "| %s | %.4f | %.4f |%n", l == 0 ? "none (kNN order)" : "lambda " + o.lambdas().get(l - 1), ndcg[l]
                / users, ild[l] / users);
        }
    }

    static double meanPairwiseCosine(JsonNode response) {
        List<float[]> vectors = new ArrayList<>();
        response.path("hits").path("hits").forEach(h -> {
            JsonNode v = h.path("fields").path("vector");
            JsonNode values = v.size() == 1 && v.path(0).isArray() ? v.path(0) : v;
            float[] f = new float[values.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) values.path(i).asDouble();
            }
            vectors.add(f);
        });
        double sum = 0;
        int pairs = 0;
        for (int a = 0; a < vectors.size(); a++) {
            for (int b = a + 1; b < vectors.size(); b++) {
                double dot = 0;
                double na = 0;
                double nb = 0;
                for (int i = 0; i < vectors.get(a).length; i++) {
                    dot += vectors.get(a)[i] * vectors.get(b)[i];
                    na += vectors.get(a)[i] * vectors.get(a)[i];
                    nb += vectors.get(b)[i] * vectors.get(b)[i];
                }
                sum += na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
                pairs++;
            }
        }
        return pairs == 0 ? 0 : sum / pairs;
    }
}
