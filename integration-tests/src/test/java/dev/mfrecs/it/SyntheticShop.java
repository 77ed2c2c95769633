package dev.mfrecs.it;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.devkit.node.SharedNode;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.devkit.load.DocumentLoader;
import dev.mfrecs.contract.CatalogSource;
import dev.mfrecs.trainer.train.TrainJob;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A shop with known structure: {@value #GROUPS} taste groups, each user buying mostly from their group's items, with
 * views, carts and purchases. A correct model must recommend a user items of their own group; an unrelated ranking
 * would not. Loaded once into the test node and trained once through the real trainer path.
 */
final class SyntheticShop {

    static final int GROUPS = 5;
    static final int USERS = 300;
    static final int ITEMS = 200;
    static final String INDEX = "interactions-it";
    static final String CATALOG = "products-it";
    static final String MODEL = "shop";
    static final int FACTORS = 16;

    private static boolean loaded;
    private static long events;

    private SyntheticShop() {}

    static int groupOfUser(int u) {
        return u % GROUPS;
    }

    static int groupOfItem(int i) {
        return i % GROUPS;
    }

    static String user(int u) {
        return "u" + u;
    }

    static String item(int i) {
        return "i" + i;
    }

    /** Indexes the events and the catalog, trains and publishes version 1 of {@value #MODEL}; idempotent per JVM. */
    static synchronized void ensureLoadedAndTrained() throws IOException {
        if (loaded) {
            return;
        }
        ElasticsearchClient client = SharedNode.client();
        String body = ModelIndices.template("interactions.json");
        client.indices().putIndexTemplate(p -> p.name("mfrecs-interactions").withJson(new StringReader(body)));
        SplittableRandom random = new SplittableRandom(7);
        long start = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        try (DocumentLoader bulk = new DocumentLoader(client, INDEX)) {
            for (int u = 0; u < USERS; u++) {
                int g = groupOfUser(u);
                int n = 8 + random.nextInt(12);
                for (int e = 0; e < n; e++) {
                    // 90% in-group items, 10% noise.
                    int i = random.nextInt(10) < 9 ? g + GROUPS * random.nextInt(ITEMS / GROUPS) : random.nextInt(ITEMS);
                    for (String type : List.of("view", "cart", "purchase")) {
                        if (type.equals("view") || random.nextInt(3) == 0) {
                            Map<String, Object> doc = new LinkedHashMap<>();
                            doc.put("user_id", user(u));
                            doc.put("item_id", item(i));
                            doc.put("event_type", type);
                            doc.put("timestamp", Instant.ofEpochMilli(start + random.nextLong(30L * 86_400_000L)).toString());
                            bulk.add(null, doc);
                            events++;
                        }
                    }
                }
            }
        }
        try (DocumentLoader bulk = new DocumentLoader(client, CATALOG)) {
            for (int i = 0; i < ITEMS; i++) {
                bulk.add(item(i), Map.of("item_id", item(i), "category", "g" + groupOfItem(i), "price", 1 + i % 17));
            }
        }
        client.indices().refresh(r -> r.index(INDEX, CATALOG));
        train();
        loaded = true;
    }

    static int train() throws IOException {
        InteractionFields fields = InteractionFields.defaults(INDEX).withWeights(Map.of("view", 1f, "cart", 3f, "purchase", 5f));
        ImplicitAlsParams params = new ImplicitAlsParams(FACTORS, 10, 0.1f, Confidence.linear(2f), Solver.CG, 3, 42L, 2);
        return new TrainJob(MODEL, fields, params, 1, 1, new CatalogSource(CATALOG, List.of("category", "price")), 3).run(
            SharedNode.client(), ProgressLog.stderr());
    }

    static long events() {
        return events;
    }
}
