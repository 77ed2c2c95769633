package dev.mfrecs.devkit.demo;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.devkit.node.LocalNode;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.es.RestJson;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.contract.CatalogSource;
import dev.mfrecs.trainer.train.TrainJob;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The end-to-end demo: a real node with the plugin, the Online Retail log indexed, an implicit ALS model trained from
 * that index and published, then recommendations and similar items asked of the running node over HTTP, exactly as a
 * user would ask them.
 */
public final class Demo {

    public static final String MODEL = "retail";
    static final List<String> NEW_CUSTOMER_HISTORY = List.of("85123A", "22423", "47566");
    static final List<String> WELL_KNOWN_PRODUCTS = List.of("85123A", "22423");

    private final PrintStream out;
    private final ProgressLog log;

    public Demo(PrintStream out) {
        this.out = out;
        this.log = new ProgressLog(System.err);
    }

    public void run(Path esZip, Path pluginZip, Path data, Path workDir, boolean keepRunning) throws Exception {
        LocalNode node = LocalNode.start(esZip, pluginZip, workDir, "1g", log);
        try {
            EsConnection conn = EsConnection.of(node.url());
            try (ElasticsearchClient client = conn.client()) {
                log.step("loading Online Retail into [interactions] and [products]");
                RetailLoader.load(client, data, "interactions", "products", log);
                InteractionFields fields = InteractionFields.defaults("interactions").withWeights(Map.of("purchase", 1f, "return", -1f));
                ImplicitAlsParams params = new ImplicitAlsParams(64, 15, 0.1f, Confidence.linear(10f), Solver.CG, 3, 42L,
                    Runtime.getRuntime().availableProcessors());
                new TrainJob(MODEL, fields, params, 1, 1, new CatalogSource("products", List.of("description", "price", "country")), 3)
                    .run(client, log);
                show(new RestJson(node.url(), null), client);
            }
            if (keepRunning) {
                out.println();
                out.println("Elasticsearch with the mf-recommendations plugin is running at " + node.url() + " (pid " + node.pid() + ").");
                out.println("Try: curl -s -XPOST '" + node.url() + "/retail-items/_search' -H 'Content-Type: application/json' -d '"
                    + "{\"query\":{\"mf_recommend\":{\"model\":\"retail\",\"user\":\"17850\"}},\"_source\":[\"description\"]}'");
                out.println("Press Ctrl-C to stop it.");
                Thread.currentThread().join();
            }
        } finally {
            log.step("stopping Elasticsearch");
            node.close();
        }
    }

    private void show(RestJson rest, ElasticsearchClient client) throws IOException {
        JsonNode model = rest.get("/_mf/model/" + MODEL).body();
        out.printf(Locale.ROOT, "%nModel [%s] live version %s: %s users, %s items, d=%s, trained in %.1fs%n", MODEL,
            model.path("live_version").asText(), model.path("versions").path(0).path("user_count").asText(),
            model.path("versions").path(0).path("item_count").asText(), model.path("versions").path(0).path("factors").asText(),
            model.path("versions").path(0).path("train_seconds").asDouble());
        List<String> customers = pickCustomers(client);
        out.printf(Locale.ROOT, "%n== Top-10 for a heavy buyer, customer %s ==%n", customers.get(0));
        recommend(rest, "\"user\": \"" + customers.get(0) + "\"");
        out.printf(Locale.ROOT, "%n== Top-10 for a casual buyer, customer %s ==%n", customers.get(1));
        recommend(rest, "\"user\": \"" + customers.get(1) + "\"");
        String history = NEW_CUSTOMER_HISTORY.stream().map(s -> "{\"item\": \"" + s + "\", \"value\": 1}").reduce((a, b) -> a + ", " + b)
            .orElseThrow();
        out.printf(Locale.ROOT, "%n== Top-10 for a new customer who bought %s (folded in at query time) ==%n", NEW_CUSTOMER_HISTORY);
        JsonNode fold = rest.postOk("/_mf/model/" + MODEL + "/_fold_in", "{\"history\": [" + history + "]}");
        out.printf(Locale.ROOT, "fold-in: %d dims, source %s, took %d ms%n", fold.path("dims").asInt(), fold.path("source").asText(),
            fold.path("took").asLong());
        recommend(rest, "\"history\": [" + history + "]");
        for (String item : WELL_KNOWN_PRODUCTS) {
            JsonNode doc = rest.get("/products/_doc/" + item).body();
            out.printf(Locale.ROOT, "%n== 5 products similar to %s %s ==%n", item, doc.path("_source").path("description").asText());
            JsonNode r = rest.postOk("/" + MODEL + "-items/_search", "{\"size\": 5, \"_source\": [\"description\", \"price\"], "
                + "\"query\": {\"mf_similar\": {\"model\": \"" + MODEL + "\", \"items\": [\"" + item + "\"], \"k\": 5}}}");
            print(r, true);
        }
    }

    private void recommend(RestJson rest, String who) throws IOException {
        JsonNode r = rest.postOk("/" + MODEL + "-items/_search", "{\"size\": 10, \"_source\": [\"description\", \"price\"], "
            + "\"query\": {\"mf_recommend\": {\"model\": \"" + MODEL + "\", " + who + ", \"k\": 10}}}");
        print(r, false);
    }

    /**
     * Prints hits with the raw similarity recovered from {@code _score}: for max_inner_product (personalized) Lucene
     * maps a dot product x to x + 1 (x >= 0) or 1 / (1 - x); for cosine (similar items) to (1 + cos) / 2.
     */
    private void print(JsonNode response, boolean cosine) {
        int rank = 1;
        for (JsonNode hit : response.path("hits").path("hits")) {
            double score = hit.path("_score").asDouble();
            double raw = cosine ? 2 * score - 1 : score >= 1 ? score - 1 : 1 - 1 / score;
            out.printf(Locale.ROOT, "%2d. %-8s %-40s %7.2f  %s=%.3f%n", rank++, hit.path("_id").asText(),
                hit.path("_source").path("description").asText(), hit.path("_source").path("price").asDouble(), cosine ? "cos" : "dot",
                raw);
        }
    }

    /** The customer with the most distinct products, and one with about ten. */
    private static List<String> pickCustomers(ElasticsearchClient client) throws IOException {
        var usersIndex = client.search(s -> s.index("interactions").size(0).aggregations("by_customer", a -> a.terms(t -> t.field(
            "user_id").size(5000)).aggregations("items", sub -> sub.cardinality(c -> c.field("item_id")))), Void.class);
        String heavy = null;
        String casual = null;
        long heavyCount = -1;
        for (var b : usersIndex.aggregations().get("by_customer").sterms().buckets().array()) {
            long distinct = b.aggregations().get("items").cardinality().value();
            if (distinct > heavyCount) {
                heavyCount = distinct;
                heavy = b.key().stringValue();
            }
            if (casual == null && distinct == 10) {
                casual = b.key().stringValue();
            }
        }
        if (heavy == null || casual == null) {
            throw new IllegalStateException("could not pick demo customers");
        }
        return List.of(heavy, casual);
    }
}
