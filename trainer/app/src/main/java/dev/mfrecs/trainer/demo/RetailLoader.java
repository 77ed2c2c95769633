package dev.mfrecs.trainer.demo;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.mappings.ModelIndices;
import dev.mfrecs.trainer.node.ProgressLog;
import dev.mfrecs.trainer.publish.BulkWriter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

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
        java.util.Set<String> customers = new java.util.HashSet<>();
        long lines = 0;
        try (
            BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(csvGz)),
                StandardCharsets.UTF_8), 1 << 16);
            BulkWriter bulk = new BulkWriter(client, interactionsIndex, 5_000)
        ) {
            String header = in.readLine();
            if (header == null || header.startsWith("InvoiceNo,StockCode") == false) {
                throw new IOException("[" + csvGz + "] line 1: expected the Online Retail header, got [" + header + "]");
            }
            String line;
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                List<String> f = Csv.split(line);
                if (f.size() != 8) {
                    throw new IOException("[" + csvGz + "] line " + lineNo + ": expected 8 columns, got " + f.size());
                }
                String invoice = f.get(0);
                String stock = f.get(1);
                String description = f.get(2);
                float quantity = Float.parseFloat(f.get(3));
                String timestamp = f.get(4);
                float price = f.get(5).isEmpty() ? 0 : Float.parseFloat(f.get(5));
                String customer = f.get(6);
                String country = f.get(7);
                boolean isReturn = invoice.startsWith("C");
                ProductStats p = products.computeIfAbsent(stock, k -> new ProductStats());
                p.add(description, price, country, isReturn == false && quantity > 0);
                if (customer.isEmpty() || quantity == 0) {
                    continue;
                }
                customers.add(customer);
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("user_id", customer);
                doc.put("item_id", stock);
                doc.put("event_type", isReturn || quantity < 0 ? "return" : "purchase");
                doc.put("quantity", Math.abs(quantity));
                doc.put("timestamp", timestamp);
                doc.put("invoice", invoice);
                doc.put("price", price);
                doc.put("country", country);
                bulk.add(null, doc);
                lines++;
                if (lines % 100_000 == 0) {
                    log.step("indexed " + lines + " interactions");
                }
            }
        }
        try (BulkWriter bulk = new BulkWriter(client, productsIndex, 2_000)) {
            for (var e : products.entrySet()) {
                bulk.add(e.getKey(), e.getValue().toDoc(e.getKey()));
            }
        }
        client.indices().refresh(r -> r.index(interactionsIndex, productsIndex));
        log.step("indexed " + lines + " interactions of " + customers.size() + " customers and " + products.size() + " products");
        return new Loaded(lines, products.size(), customers.size());
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
