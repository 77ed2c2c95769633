package dev.mfrecs.devkit.demo;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.evaluation.RetailCsv;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.devkit.load.DocumentLoader;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads the bundled UCI Online Retail log into an {@code interactions} index (one document per invoice line with a
 * customer: purchase, or return for invoices starting with "C") and a {@code products} catalog (most frequent
 * description, median unit price, the country that bought it most, number of purchase lines).
 */
public final class RetailLoader {

    /** Counts of what was loaded. */
    public record Loaded(long interactions, int products, int customers) {}

    private RetailLoader() {}

    public static Loaded load(ElasticsearchClient client, Path csvGz, String interactionsIndex, String productsIndex, ProgressLog log)
        throws IOException {
        for (String t : List.of("interactions", "products")) {
            String body = ModelIndices.template(t + ".json");
            client.indices().putIndexTemplate(p -> p.name("mfrecs-" + t).withJson(new StringReader(body)));
        }
        Map<String, ProductStats> products = new HashMap<>();
        Set<String> customers = new HashSet<>();
        long[] lines = new long[1];
        try (DocumentLoader bulk = new DocumentLoader(client, interactionsIndex)) {
            RetailCsv.read(csvGz, line -> {
                ProductStats p = products.computeIfAbsent(line.stock(), k -> new ProductStats());
                p.add(line.description(), line.price(), line.country(), line.isReturn() == false && line.quantity() > 0);
                if (line.customer().isEmpty() || line.quantity() == 0) {
                    return;
                }
                customers.add(line.customer());
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("user_id", line.customer());
                doc.put("item_id", line.stock());
                doc.put("event_type", line.isReturn() || line.quantity() < 0 ? "return" : "purchase");
                doc.put("quantity", Math.abs(line.quantity()));
                doc.put("timestamp", line.timestamp());
                doc.put("invoice", line.invoice());
                doc.put("price", line.price());
                doc.put("country", line.country());
                bulk.add(null, doc);
                if (++lines[0] % 100_000 == 0) {
                    log.step("indexed " + lines[0] + " interactions");
                }
            });
        }
        try (DocumentLoader bulk = new DocumentLoader(client, productsIndex)) {
            for (var e : products.entrySet()) {
                bulk.add(e.getKey(), e.getValue().toDoc(e.getKey()));
            }
        }
        client.indices().refresh(r -> r.index(interactionsIndex, productsIndex));
        log.step("indexed " + lines[0] + " interactions of " + customers.size() + " customers and " + products.size() + " products");
        return new Loaded(lines[0], products.size(), customers.size());
    }

    /** Per-product aggregation for the catalog. */
    private static final class ProductStats {
        final Map<String, Integer> descriptions = new HashMap<>();
        final Map<String, Integer> countries = new HashMap<>();
        final List<Float> prices = new ArrayList<>();
        int purchases;

        void add(String description, float price, String country, boolean purchase) {
            if (description.isEmpty() == false) {
                descriptions.merge(description, 1, Integer::sum);
            }
            if (price > 0 && prices.size() < 10_000) {
                prices.add(price);
            }
            if (purchase) {
                countries.merge(country, 1, Integer::sum);
                purchases++;
            }
        }

        Map<String, Object> toDoc(String id) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("item_id", id);
            doc.put("description", mostFrequent(descriptions, ""));
            if (prices.isEmpty() == false) {
                prices.sort(Float::compare);
                doc.put("price", prices.get(prices.size() / 2));
            }
            doc.put("country", mostFrequent(countries, null));
            doc.put("purchase_lines", purchases);
            return doc;
        }

        private static String mostFrequent(Map<String, Integer> counts, String dflt) {
            // Most frequent; ties go to the smaller string so runs are reproducible.
            String best = dflt;
            int bestCount = -1;
            for (var e : counts.entrySet()) {
                if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            return best;
        }
    }
}
