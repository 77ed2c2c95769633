package dev.mfrecs.it;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.devkit.node.SharedNode;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.trainer.es.RestJson;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.devkit.load.DocumentLoader;
import dev.mfrecs.trainer.publish.ModelLock;
import dev.mfrecs.trainer.publish.VersionManager;
import dev.mfrecs.trainer.train.TrainJob;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer as a cluster owner runs it: 100k events of three types, versions swapped while queries keep running,
 * rollback, a publish that dies half-way, two trainers at once, and bad arguments that publish nothing.
 */
class TrainerLifecycleIT {

    static final String INDEX = "events-100k";
    static final int EVENTS = 100_000;
    static final int USERS = 2_000;
    static final int ITEMS = 1_000;

    @BeforeAll
    static void load() throws IOException {
        ElasticsearchClient client = SharedNode.client();
        SyntheticShop.ensureLoadedAndTrained(); // installs the interactions template too
        if (client.indices().exists(e -> e.index(INDEX)).value()) {
            return;
        }
        SplittableRandom random = new SplittableRandom(11);
        List<String> types = List.of("view", "cart", "purchase");
        long t0 = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli();
        try (DocumentLoader bulk = new DocumentLoader(client, INDEX)) {
            for (int e = 0; e < EVENTS; e++) {
                int u = random.nextInt(USERS);
                int group = u % 10;
                int i = random.nextInt(10) < 8 ? group + 10 * random.nextInt(ITEMS / 10) : random.nextInt(ITEMS);
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("user_id", "c" + u);
                doc.put("item_id", "p" + i);
                doc.put("event_type", types.get(random.nextInt(10) < 6 ? 0 : random.nextInt(10) < 6 ? 1 : 2));
                doc.put("timestamp", Instant.ofEpochMilli(t0 + random.nextLong(90L * 86_400_000L)).toString());
                bulk.add(null, doc);
            }
        }
        client.indices().refresh(r -> r.index(INDEX));
        assertEquals(EVENTS, client.count(c -> c.index(INDEX)).count());
    }

    private static TrainJob job(String model) {
        InteractionFields fields = InteractionFields.defaults(INDEX).withWeights(Map.of("view", 1f, "cart", 3f, "purchase", 5f));
        return new TrainJob(model, fields, new ImplicitAlsParams(16, 4, 0.1f, Confidence.linear(2f), Solver.CG, 3, 5L, 2), 1, 1, null, 3);
    }

    @Test
    void swapUnderQueryLoadAndRollback() throws Exception {
        String model = "big";
        VersionManager publisher = new VersionManager(SharedNode.client(), ProgressLog.stderr());
        int v1 = job(model).run(SharedNode.client(), ProgressLog.stderr());
        assertEquals(v1, publisher.liveVersion(model));
        RestJson rest = SharedNode.rest();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger ok = new AtomicInteger();
        List<String> errors = new ArrayList<>();
        Thread loop = new Thread(() -> {
            int n = 0;
            while (stop.get() == false) {
                try {
                    String who = n++ % 2 == 0 ? "\"user\": \"c" + (n % USERS) + "\"" : "\"history\": [\"p1\", \"p11\"]";
                    RestJson.Response r = rest.post("/" + model + "-items/_search", "{\"size\": 5, \"query\": {\"mf_recommend\": {"
                        + "\"model\": \"" + model + "\", " + who + ", \"k\": 5}}}");
                    if (r.status() != 200 || r.body().path("hits").path("hits").size() != 5) {
                        synchronized (errors) {
                            errors.add(r.status() + " " + r.body());
                        }
                    } else {
                        ok.incrementAndGet();
                    }
                } catch (IOException e) {
                    synchronized (errors) {
                        errors.add(e.toString());
                    }
                }
            }
        });
        loop.start();
        int v2;
        try {
            v2 = job(model).run(SharedNode.client(), ProgressLog.stderr());
        } finally {
            stop.set(true);
            loop.join();
        }
        assertEquals(v1 + 1, v2);
        assertEquals(v2, publisher.liveVersion(model));
        assertTrue(errors.isEmpty(), "queries failed during the swap: " + errors.subList(0, Math.min(3, errors.size())));
        assertTrue(ok.get() > 10, "only " + ok.get() + " queries ran during the swap");
        try (ModelLock lock = ModelLock.acquire(SharedNode.client(), model, "test", ModelLock.Lease.DEFAULT, ProgressLog.stderr())) {
            assertEquals(v1, publisher.rollback(model, v1, "test", lock));
        }
        assertEquals(v1, SharedNode.rest().get("/_mf/model/" + model).body().path("live_version").asInt());
    }

    @Test
    void publishDyingHalfWayLeavesTheLiveVersionAndTheNextRunCleansUp() throws Exception {
        String model = "fragile";
        ElasticsearchClient client = SharedNode.client();
        VersionManager publisher = new VersionManager(client, ProgressLog.stderr());
        int v1 = job(model).run(client, ProgressLog.stderr());
        IOException failure = assertThrows(IOException.class, () -> job(model).run(client, ProgressLog.stderr(), (index, written) -> {
            if (index.contains("-items-") && written >= 1_000) {
                throw new IOException("injected failure after " + written + " documents of [" + index + "]");
            }
        }));
        assertTrue(failure.getMessage().contains("injected"), failure.getMessage());
        assertEquals(v1, publisher.liveVersion(model));
        assertFalse(client.indices().exists(e -> e.index(ModelIndices.itemsIndex(model, v1 + 1))).value(), "partial index left behind");
        // A trainer killed outright cannot clean up: simulate its leftovers, then check the next run removes them.
        int orphan = v1 + 7;
        client.indices().create(c -> c.index(ModelIndices.itemsIndex(model, orphan)));
        client.indices().create(c -> c.index(ModelIndices.usersIndex(model, orphan)));
        int v2 = job(model).run(client, ProgressLog.stderr());
        assertEquals(v2, publisher.liveVersion(model));
        assertFalse(client.indices().exists(e -> e.index(ModelIndices.itemsIndex(model, orphan))).value(), "orphan not cleaned");
        assertFalse(client.indices().exists(e -> e.index(ModelIndices.usersIndex(model, orphan))).value(), "orphan not cleaned");
    }

    @Test
    void twoTrainersAtOnceExactlyOnePublishes() throws Exception {
        String model = "race";
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            runs.add(pool.submit(() -> {
                go.await();
                return job(model).run(SharedNode.client(), ProgressLog.stderr());
            }));
        }
        go.countDown();
        int published = 0;
        int refused = 0;
        for (Future<Integer> f : runs) {
            try {
                f.get();
                published++;
            } catch (ExecutionException e) {
                assertTrue(e.getCause() instanceof ModelLock.HeldException, "unexpected failure: " + e.getCause());
                refused++;
            }
        }
        pool.shutdown();
        assertEquals(1, published);
        assertEquals(1, refused);
        assertEquals(1, new VersionManager(SharedNode.client(), ProgressLog.stderr()).versions(model).size());
    }

    @Test
    void badArgumentsPublishNothing() throws Exception {
        ElasticsearchClient client = SharedNode.client();
        InteractionFields wrongField = new InteractionFields(INDEX, "customer", "item_id", "event_type", null, "timestamp", Map.of(), 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TrainJob("bad1", wrongField,
            ImplicitAlsParams.defaults(8), 1, 1, null, 3).run(client, ProgressLog.stderr()));
        assertTrue(e.getMessage().contains("[customer]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TrainJob("bad2", InteractionFields.defaults("no-such-index"),
            ImplicitAlsParams.defaults(8), 1, 1, null, 3).run(client, ProgressLog.stderr()));
        assertTrue(e.getMessage().contains("[no-such-index]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new TrainJob("bad3", InteractionFields.defaults(INDEX),
            ImplicitAlsParams.defaults(5000), 1, 1, null, 3).run(client, ProgressLog.stderr()));
        assertTrue(e.getMessage().contains("[5000]"), e.getMessage());
        client.indices().create(c -> c.index("interactions-empty"));
        IllegalStateException empty = assertThrows(IllegalStateException.class, () -> new TrainJob("bad4", InteractionFields.defaults(
            "interactions-empty"), ImplicitAlsParams.defaults(8), 1, 1, null, 3).run(client, ProgressLog.stderr()));
        assertTrue(empty.getMessage().contains("no positive interactions"), empty.getMessage());
        for (String m : List.of("bad1", "bad2", "bad3", "bad4")) {
            assertFalse(client.indices().existsAlias(a -> a.name(ModelIndices.itemsAlias(m))).value(), m + " was published");
        }
        JsonNode models = SharedNode.rest().get("/_mf/model/bad4").body();
        assertEquals(404, models.path("status").asInt());
    }
}
