package dev.mfrecs.it;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.TrainingRun;
import dev.mfrecs.devkit.load.DocumentLoader;
import dev.mfrecs.devkit.node.SharedNode;
import dev.mfrecs.trainer.es.RestJson;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.contract.CatalogSource;
import dev.mfrecs.trainer.publish.ModelLock;
import dev.mfrecs.trainer.publish.VersionManager;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.mfrecs.it.LifecycleFixture.INDEX;
import static dev.mfrecs.it.LifecycleFixture.described;
import static dev.mfrecs.it.LifecycleFixture.exists;
import static dev.mfrecs.it.LifecycleFixture.live;
import static dev.mfrecs.it.LifecycleFixture.train;
import static dev.mfrecs.it.LifecycleFixture.versionIndicesExist;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The defects of issue 13 ("Unattended model lifecycle") that are not failure injection, each on the real node and each
 * written to fail on the behaviour the issue describes (before the fixes) and pass on the fixed code: #1 cold-start users,
 * #2 version reuse with a stale metadata cache, #6 bad events and catalog fields, #7 retention after a rollback and model
 * names, #11 bad input accepted. (#3, #4 and #5 are in {@link FailureInjectionIT}.)
 */
class LifecycleDefectsIT {

    private static RestJson rest;

    @BeforeAll
    static void setUp() throws IOException {
        LifecycleFixture.ensureLoaded();
        rest = SharedNode.rest();
        if (exists(ModelIndices.itemsAlias("df_serve")) == false) {
            train("df_serve");
        }
    }

    private static RestJson.Response recommend(String model, String who) throws IOException {
        return rest.post("/" + model + "-items/_search", "{\"size\": 5, \"query\": {\"mf_recommend\": {\"model\": \"" + model + "\", "
            + who + ", \"k\": 5}}}");
    }

    /** The popularity values of the catalog's top 5: what an empty user's ranking (on_empty: popular) must show. */
    private static List<Double> topPopularity(String model) throws IOException {
        JsonNode hits = rest.postOk("/" + model + "-items/_search", "{\"size\": 5, \"sort\": [{\"popularity\": \"desc\"}]}").path("hits")
            .path("hits");
        List<Double> out = new ArrayList<>();
        hits.forEach(h -> out.add(h.path("_source").path("popularity").asDouble()));
        return out;
    }

    private static List<Double> popularityOf(RestJson.Response r) {
        List<Double> out = new ArrayList<>();
        r.body().path("hits").path("hits").forEach(h -> out.add(h.path("_source").path("popularity").asDouble()));
        return out;
    }

    /** #1: a user with no stored vector and no events gets the popular ranking by default, and a 404 naming them from _fold_in. */
    @Test
    void coldStartUserGetsThePopularRankingAndFoldInSays404() throws IOException {
        RestJson.Response r = recommend("df_serve", "\"user\": \"cold-start-nobody\"");
        assertEquals(200, r.status(), r.body().toString());
        assertEquals(5, r.body().path("hits").path("hits").size(), r.body().toString());
        assertEquals(topPopularity("df_serve"), popularityOf(r), "not the popular ranking: " + r.body());
        RestJson.Response f = rest.post("/_mf/model/df_serve/_fold_in", "{\"user\": \"cold-start-nobody\"}");
        assertEquals(404, f.status(), f.body().toString());
        assertTrue(f.body().toString().contains("[cold-start-nobody]"), f.body().toString());
    }

    /**
     * #2: roll back, delete the bad version, retrain with other dims, with queries running throughout (the plugin has cached the
     * bad version's metadata): the new version gets a new number, and no query fails ("has a vector of [12] dims, expected [8]").
     */
    @Test
    void retrainWithOtherDimsAfterRollbackAndDeleteServesWithoutErrors() throws Exception {
        String model = "df_dims";
        ElasticsearchClient client = SharedNode.client();
        VersionManager versions = new VersionManager(client, ProgressLog.stderr());
        int good = train(model);
        int bad = train(model);
        QueryLoop.Result seen;
        int retrained;
        try (QueryLoop loop = QueryLoop.start(model, LifecycleFixture.someUsers(), LifecycleFixture.someItems(), true)) {
            while (loop.sent() < 40) {
                Thread.sleep(20); // every kind of query has been answered by the bad version: its metadata is cached
            }
            try (ModelLock lock = ModelLock.acquire(client, model, "test", ModelLock.Lease.DEFAULT, ProgressLog.stderr())) {
                assertEquals(good, versions.rollback(model, good, "test", lock));
                versions.deleteVersion(model, bad, lock);
                versions.unpin(model, lock);
            }
            retrained = train(model, INDEX, 12, 3, null);
            long after = loop.sent();
            while (loop.sent() < after + 40) {
                Thread.sleep(20);
            }
            seen = loop.stop();
        }
        assertTrue(retrained > bad, "version " + retrained + " reuses a deleted version's number (" + bad + ")");
        assertEquals(retrained, live(model));
        assertTrue(seen.clean(), seen.describe());
        JsonNode folded = rest.postOk("/_mf/model/" + model + "/_fold_in", "{\"user\": \"" + LifecycleFixture.user(3) + "\"}");
        assertEquals(12, folded.path("dims").asInt(), folded.toString());
        assertEquals(12, folded.path("vector").size());
    }

    /**
     * #6: events with an empty or a 600-byte id are skipped and counted in the run record, a catalog field whose type conflicts
     * with the items index is dropped for that item and counted, and the publish succeeds; with {@code --max-invalid-fraction}
     * below the share of bad events the trainer exits 4 before writing anything.
     */
    @Test
    void invalidEventsAndConflictingCatalogFieldsAreSkippedAndCounted() throws Exception {
        String index = "interactions-lifecycle-invalid";
        String catalog = "lifecycle-catalog";
        String model = "df_invalid";
        ElasticsearchClient client = SharedNode.client();
        if (exists(index) == false) {
            LifecycleFixture.load(index, LifecycleFixture.EVENTS, 21);
            // Indexed after the others (a later segment): "p-late" is the last item the trainer meets and writes.
            try (DocumentLoader bulk = new DocumentLoader(client, index)) {
                bulk.add(null, event("", "p1"));
                bulk.add(null, event("f1", "x".repeat(600)));
                bulk.add(null, event("f2", "p-late"));
            }
            client.indices().refresh(r -> r.index(index));
            assertEquals(200, rest.put("/" + catalog, "{\"mappings\": {\"dynamic\": false, \"properties\": {\"item_id\": {\"type\": "
                + "\"keyword\"}}}}").status());
            try (DocumentLoader bulk = new DocumentLoader(client, catalog)) {
                for (int i = 0; i < LifecycleFixture.ITEMS; i++) {
                    bulk.add(LifecycleFixture.item(i), Map.of("item_id", LifecycleFixture.item(i), "price", 10 + i % 7));
                }
                bulk.add("p-late", Map.of("item_id", "p-late", "price", "n/a"));
            }
            client.indices().refresh(r -> r.index(catalog));
        }
        int version = train(model, index, LifecycleFixture.FACTORS, 3, new CatalogSource(catalog, List.of("price")));
        assertEquals(version, live(model));
        TrainingRun run = LifecycleFixture.lastRun(model);
        assertEquals(TrainingRun.Outcome.PUBLISHED, run.outcome(), run.toString());
        assertEquals(2L, run.counts().get("events_invalid"), run.toString());
        assertEquals(1L, run.counts().get("catalog_skipped"), run.toString());
        JsonNode late = rest.get("/" + model + "-items/_doc/p-late").body().path("_source");
        assertTrue(late.has("popularity") && late.has("price") == false, late.toString());
        assertEquals(10 + 16 % 7, rest.get("/" + model + "-items/_doc/p16").body().path("_source").path("price").asInt());

        int reserved = LifecycleFixture.versions().state(model).document().lastVersion();
        List<String> args = new ArrayList<>(LifecycleFixture.trainArgs(SharedNode.node().url(), model, index, 3));
        args.addAll(List.of("--max-invalid-fraction", "0.0001"));
        try (TrainerProcess t = TrainerProcess.start("max-invalid", TrainerProcess.Options.NONE, args)) {
            assertEquals(4, t.waitFor(Duration.ofMinutes(3)), t.output());
            assertTrue(t.output().contains("[--max-invalid-fraction] [1.0E-4]"), t.output());
        }
        assertEquals(reserved, LifecycleFixture.versions().state(model).document().lastVersion(), "a version was reserved");
        assertFalse(exists(ModelIndices.itemsIndex(model, reserved + 1)), "something was written");
        assertEquals(version, live(model));
        assertEquals(TrainingRun.Outcome.FAILED, LifecycleFixture.lastRun(model).outcome());
    }

    private static Map<String, Object> event(String user, String item) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("user_id", user);
        doc.put("item_id", item);
        doc.put("event_type", "purchase");
        doc.put("timestamp", "2026-05-20T00:00:00Z");
        return doc;
    }

    /**
     * #7: after a rollback (to the known-good version) the next publish's retention keeps that version, although it is the
     * oldest; {@code models delete "decoy,ml"} is refused as a bad model name (exit 2) and deletes nothing.
     */
    @Test
    void retentionAfterRollbackKeepsTheKnownGoodVersionAndModelNamesAreValidated() throws Exception {
        String model = "df_retain";
        ElasticsearchClient client = SharedNode.client();
        VersionManager versions = new VersionManager(client, ProgressLog.stderr());
        int good = train(model, INDEX, LifecycleFixture.FACTORS, 2, null);
        int bad = train(model, INDEX, LifecycleFixture.FACTORS, 2, null);
        try (ModelLock lock = ModelLock.acquire(client, model, "test", ModelLock.Lease.DEFAULT, ProgressLog.stderr())) {
            assertEquals(good, versions.rollback(model, null, "test", lock));
            versions.unpin(model, lock);
        }
        int next = train(model, INDEX, LifecycleFixture.FACTORS, 2, null);
        assertEquals(next, live(model));
        assertTrue(versionIndicesExist(model, good), "retention deleted the known-good v" + good + " after the rollback to it");
        assertTrue(described(model).contains(good));
        assertTrue(described(model).contains(bad) && described(model).contains(next), described(model).toString());

        if (exists("decoy") == false) {
            assertEquals(200, rest.put("/decoy", "{}").status());
        }
        String ml = "ml";
        int mlLive = train(ml);
        try (TrainerProcess t = TrainerProcess.start("delete-decoy", TrainerProcess.Options.NONE, LifecycleFixture.modelsArgs("delete",
            "decoy," + ml, "--version", Integer.toString(mlLive)))) {
            assertEquals(2, t.waitFor(Duration.ofMinutes(3)), t.output());
            assertTrue(t.output().contains("model name [decoy," + ml + "]"), t.output());
        }
        assertTrue(exists("decoy"), "the unrelated index [decoy] was deleted");
        assertTrue(versionIndicesExist(ml, mlLive), "the live version of [" + ml + "] lost an index");
        assertEquals(mlLive, live(ml));
        assertTrue(described(ml).contains(mlLive));
    }

    /** #11: each bad input is a 400 that names the parameter; a history without a positive value is an empty user (on_empty). */
    @Test
    void badInputIs400NamingTheParameter() throws IOException {
        String m = "df_serve";
        assertBadRequest(recommend(m, "\"history\": []"), "[history]");
        assertBadRequest(rest.post("/_mf/model/" + m + "/_fold_in", "{\"history\": []}"), "[history]");
        assertBadRequest(recommend(m, "\"user\": \"f1\", \"field\": \"nope\""), "[field]");
        assertBadRequest(recommend(m, "\"user\": \"f1\", \"k\": 1.5"), "[k]");
        String huge = "\"history\": [{\"item\": \"p1\", \"value\": 3e38}]";
        assertBadRequest(recommend(m, huge), "[value]");
        assertBadRequest(rest.post("/_mf/model/" + m + "/_fold_in", "{" + huge + "}"), "[value]");

        String nonPositive = "\"history\": [{\"item\": \"p1\", \"value\": 0}, {\"item\": \"p2\", \"value\": -2}]";
        RestJson.Response popular = recommend(m, nonPositive);
        assertEquals(200, popular.status(), popular.body().toString());
        assertEquals(topPopularity(m), popularityOf(popular), "not the popular ranking: " + popular.body());
        RestJson.Response error = recommend(m, nonPositive + ", \"on_empty\": \"error\"");
        assertEquals(404, error.status(), error.body().toString());
        RestJson.Response folded = rest.post("/_mf/model/" + m + "/_fold_in", "{" + nonPositive + "}");
        assertEquals(404, folded.status(), folded.body().toString());
        assertTrue(folded.body().toString().contains("[history]"), folded.body().toString());
    }

    private static void assertBadRequest(RestJson.Response r, String parameter) {
        assertEquals(400, r.status(), r.body().toString());
        assertTrue(r.body().toString().contains(parameter), "the 400 does not name " + parameter + ": " + r.body());
    }
}
