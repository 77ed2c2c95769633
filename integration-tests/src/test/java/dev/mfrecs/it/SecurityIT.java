package dev.mfrecs.it;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.devkit.node.LocalNode;
import dev.mfrecs.devkit.node.SharedNode;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.es.RestJson;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.devkit.load.DocumentLoader;
import dev.mfrecs.trainer.train.TrainJob;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin's lookups run with the caller's privileges: on a node with security on, a user who may read the model's
 * items and users indices, {@code mf-models} and the interactions index gets recommendations and fold-ins; a user
 * lacking read on any index a request needs gets a 403 that carries no vector data, even after an authorized user
 * warmed the plugin's metadata cache.
 * <p>
 * Runs its own node (the shared {@link SharedNode} has security off), started once for the class with file-realm users
 * and roles, and stopped by its PID afterwards.
 */
class SecurityIT {

    static final String MODEL = "secshop";
    static final String INTERACTIONS = "interactions-sec";
    static final String PASSWORD = "it-password-1";
    static final int USERS = 60;
    static final int ITEMS = 30;
    static final int K = 5;
    /** Has events in the interactions index but is not in the model: its fold-in reads the interactions index. */
    static final String LATE_USER = "late";

    static final String ALL_INDICES = "\"" + MODEL + "-items*\", \"" + MODEL + "-users*\", \"" + ModelIndices.METADATA_INDEX + "\", \""
        + INTERACTIONS + "\"";

    static final String ROLES = String.join("\n",
        role("mf_reader", true, ALL_INDICES),
        role("mf_no_users", true, "\"" + MODEL + "-items*\", \"" + ModelIndices.METADATA_INDEX + "\", \"" + INTERACTIONS + "\""),
        role("mf_no_models", true, "\"" + MODEL + "-items*\", \"" + MODEL + "-users*\", \"" + INTERACTIONS + "\""),
        role("mf_no_items", true, "\"" + MODEL + "-users*\", \"" + ModelIndices.METADATA_INDEX + "\", \"" + INTERACTIONS + "\""),
        role("mf_no_interactions", true, "\"" + MODEL + "-items*\", \"" + MODEL + "-users*\", \"" + ModelIndices.METADATA_INDEX + "\""),
        role("mf_no_cluster", false, ALL_INDICES),
        // The README's model-admin role.
        "mf_model_admin:\n"
            + "  cluster: [\"cluster:monitor/mf/*\", \"cluster:admin/mf/*\"]\n"
            + "  indices:\n"
            + "    - names: [\"" + ModelIndices.METADATA_INDEX + "\"]\n"
            + "      privileges: [\"read\", \"write\"]\n"
            + "    - names: [\"" + ModelIndices.RUNS_INDEX + "\"]\n"
            + "      privileges: [\"read\"]\n"
            + "    - names: [\"" + MODEL + "-items*\", \"" + MODEL + "-users*\"]\n"
            + "      privileges: [\"read\", \"manage\"]\n"
    );

    private static LocalNode node;
    private static ElasticsearchClient admin;

    private static String role(String name, boolean clusterPrivilege, String indices) {
        return name + ":\n"
            + (clusterPrivilege ? "  cluster: [\"cluster:monitor/mf/*\"]\n" : "")
            + "  indices:\n"
            + "    - names: [" + indices + "]\n"
            + "      privileges: [\"read\"]\n";
    }

    @BeforeAll
    static void startSecuredNodeAndPublish() throws IOException, InterruptedException {
        List<LocalNode.User> users = List.of(
            new LocalNode.User("admin", PASSWORD, List.of("superuser")),
            new LocalNode.User("reader", PASSWORD, List.of("mf_reader")),
            new LocalNode.User("no_users", PASSWORD, List.of("mf_no_users")),
            new LocalNode.User("no_models", PASSWORD, List.of("mf_no_models")),
            new LocalNode.User("no_items", PASSWORD, List.of("mf_no_items")),
            new LocalNode.User("no_interactions", PASSWORD, List.of("mf_no_interactions")),
            new LocalNode.User("no_cluster", PASSWORD, List.of("mf_no_cluster")),
            new LocalNode.User("model_admin", PASSWORD, List.of("mf_model_admin"))
        );
        node = LocalNode.start(
            Path.of(required("mfrecs.es.zip")),
            Path.of(required("mfrecs.plugin.zip")),
            Path.of(required("mfrecs.work.dir")),
            LocalNode.Options.heap("512m").withSecurity(ROLES, users),
            ProgressLog.stderr()
        );
        admin = new EsConnection(URI.create(node.url()), null, null, "admin", PASSWORD).client();
        loadAndTrain();
    }

    @AfterAll
    static void stopNode() throws IOException {
        if (admin != null) {
            admin.close();
        }
        if (node != null) {
            long pid = node.pid();
            node.close();
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "secured node (pid " + pid + ") still running");
        }
    }

    private static void loadAndTrain() throws IOException {
        String template = ModelIndices.template("interactions.json");
        admin.indices().putIndexTemplate(p -> p.name("mfrecs-interactions").withJson(new StringReader(template)));
        SplittableRandom random = new SplittableRandom(11);
        long start = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        try (DocumentLoader bulk = new DocumentLoader(admin, INTERACTIONS)) {
            for (int u = 0; u < USERS; u++) {
                for (int e = 0; e < 8; e++) {
                    int i = random.nextInt(10) < 9 ? u % 3 + 3 * random.nextInt(ITEMS / 3) : random.nextInt(ITEMS);
                    bulk.add(null, event("u" + u, "i" + i, start + random.nextLong(20L * 86_400_000L)));
                }
            }
        }
        admin.indices().refresh(r -> r.index(INTERACTIONS));
        InteractionFields fields = InteractionFields.defaults(INTERACTIONS).withWeights(Map.of("purchase", 1f));
        ImplicitAlsParams params = new ImplicitAlsParams(8, 5, 0.1f, Confidence.linear(2f), Solver.CHOLESKY, 3, 5L, 2);
        int version = new TrainJob(MODEL, fields, params, 1, 1, null, 2).run(admin, ProgressLog.stderr());
        assertEquals(1, version);
        // Events of a user the model has not seen: a fold-in for them reads the interactions index.
        try (DocumentLoader bulk = new DocumentLoader(admin, INTERACTIONS)) {
            for (String item : List.of("i0", "i3", "i6")) {
                bulk.add(null, event(LATE_USER, item, start));
            }
        }
        admin.indices().refresh(r -> r.index(INTERACTIONS));
    }

    private static Map<String, Object> event(String user, String item, long millis) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("user_id", user);
        doc.put("item_id", item);
        doc.put("event_type", "purchase");
        doc.put("timestamp", Instant.ofEpochMilli(millis).toString());
        return doc;
    }

    private static RestJson as(String user) {
        return new RestJson(node.url(), node.security().basicAuth(user));
    }

    private static RestJson.Response foldIn(String user, String body) throws IOException {
        return as(user).post("/_mf/model/" + MODEL + "/_fold_in", body);
    }

    private static RestJson.Response recommend(String user, String who) throws IOException {
        return as(user).post("/" + ModelIndices.itemsAlias(MODEL) + "/_search", "{\"size\": " + K + ", \"query\": {\"mf_recommend\": "
            + "{\"model\": \"" + MODEL + "\", " + who + ", \"k\": " + K + "}}}");
    }

    /** A 403 from security naming the missing privilege's index, with no vector, hits or user data in the body. */
    private static void assertForbidden(RestJson.Response r, String index) {
        String body = r.body().toString();
        assertEquals(403, r.status(), body);
        assertEquals("security_exception", r.body().path("error").path("type").asText(), body);
        assertTrue(r.body().path("error").path("reason").asText().contains(index), "reason should name [" + index + "]: " + body);
        assertFalse(body.contains("\"vector\""), body);
        assertFalse(body.contains("\"hits\""), body);
        assertFalse(body.contains("\"dims\""), body);
    }

    @Test
    void readerWithAllIndicesGetsFoldInsAndRecommendations() throws IOException {
        RestJson.Response stored = foldIn("reader", "{\"user\": \"u3\"}");
        assertEquals(200, stored.status(), stored.body().toString());
        assertEquals("stored", stored.body().path("source").asText());
        assertEquals(8, stored.body().path("vector").size());

        RestJson.Response history = foldIn("reader", "{\"history\": [\"i1\", \"i4\", \"i7\"]}");
        assertEquals(200, history.status(), history.body().toString());
        assertEquals("history", history.body().path("source").asText());

        RestJson.Response late = foldIn("reader", "{\"user\": \"" + LATE_USER + "\"}");
        assertEquals(200, late.status(), late.body().toString());
        assertEquals("interactions", late.body().path("source").asText());

        for (String who : List.of("\"user\": \"u3\"", "\"history\": [\"i1\", \"i4\", \"i7\"]", "\"user\": \"" + LATE_USER + "\"")) {
            RestJson.Response r = recommend("reader", who);
            assertEquals(200, r.status(), r.body().toString());
            assertEquals(K, r.body().path("hits").path("hits").size(), r.body().toString());
        }
        RestJson.Response model = as("reader").get("/_mf/model/" + MODEL);
        assertEquals(200, model.status(), model.body().toString());
        assertEquals(1, model.body().path("live_version").asInt());
    }

    @Test
    void withoutReadOnUsersIndexStoredUsersAreForbidden() throws IOException {
        assertForbidden(foldIn("no_users", "{\"user\": \"u3\"}"), ModelIndices.usersIndex(MODEL, 1));
        assertForbidden(recommend("no_users", "\"user\": \"u3\""), ModelIndices.usersIndex(MODEL, 1));
        // An inline history never touches the users index.
        assertEquals(200, foldIn("no_users", "{\"history\": [\"i1\", \"i4\", \"i7\"]}").status());
    }

    @Test
    void withoutReadOnMetadataEverythingIsForbiddenEvenWithAWarmCache() throws IOException {
        // Warm the plugin's metadata cache as an authorized user first: the cache must not become a bypass.
        assertEquals(200, foldIn("reader", "{\"user\": \"u3\"}").status());
        assertForbidden(foldIn("no_models", "{\"user\": \"u3\"}"), ModelIndices.METADATA_INDEX);
        assertForbidden(foldIn("no_models", "{\"history\": [\"i1\", \"i4\", \"i7\"]}"), ModelIndices.METADATA_INDEX);
        assertForbidden(recommend("no_models", "\"user\": \"u3\""), ModelIndices.METADATA_INDEX);
        assertForbidden(as("no_models").get("/_mf/model/" + MODEL), ModelIndices.METADATA_INDEX);
    }

    @Test
    void withoutReadOnItemsIndexEverythingIsForbidden() throws IOException {
        assertForbidden(foldIn("no_items", "{\"user\": \"u3\"}"), ModelIndices.itemsAlias(MODEL));
        assertForbidden(foldIn("no_items", "{\"history\": [\"i1\", \"i4\", \"i7\"]}"), ModelIndices.itemsAlias(MODEL));
        assertForbidden(recommend("no_items", "\"user\": \"u3\""), ModelIndices.itemsAlias(MODEL));
        assertForbidden(as("no_items").post("/_mf/model/" + MODEL + "/_explain", "{\"user\": \"u3\", \"item\": \"i0\"}"),
            ModelIndices.itemsAlias(MODEL));
    }

    @Test
    void withoutReadOnInteractionsUnknownUsersAreForbiddenButStoredUsersServed() throws IOException {
        assertForbidden(foldIn("no_interactions", "{\"user\": \"" + LATE_USER + "\"}"), INTERACTIONS);
        assertForbidden(recommend("no_interactions", "\"user\": \"" + LATE_USER + "\""), INTERACTIONS);
        RestJson.Response stored = recommend("no_interactions", "\"user\": \"u3\"");
        assertEquals(200, stored.status(), stored.body().toString());
        assertEquals(K, stored.body().path("hits").path("hits").size());
    }

    @Test
    void pluginActionsNeedTheClusterPrivilegeButSearchesDoNot() throws IOException {
        RestJson.Response r = foldIn("no_cluster", "{\"user\": \"u3\"}");
        assertEquals(403, r.status(), r.body().toString());
        assertTrue(r.body().path("error").path("reason").asText().contains("cluster:monitor/mf/fold_in"), r.body().toString());
        assertFalse(r.body().toString().contains("\"vector\""));
        assertEquals(403, as("no_cluster").post("/_mf/model/" + MODEL + "/_explain", "{\"user\": \"u3\", \"item\": \"i0\"}").status());
        assertEquals(403, as("no_cluster").get("/_mf/model/" + MODEL).status());
        // mf_recommend is a query inside _search: the index privileges are all it needs.
        RestJson.Response search = recommend("no_cluster", "\"user\": \"u3\"");
        assertEquals(200, search.status(), search.body().toString());
        assertEquals(K, search.body().path("hits").path("hits").size());
    }

    /**
     * Model management needs {@code cluster:admin/mf/*}: a reader gets a 403 naming the action; the README's admin role rolls
     * back (alias swap, pin), lists, unpins, and gets a 404, not a 403, for a version that does not exist.
     */
    @Test
    void modelManagementNeedsTheAdminRole() throws IOException {
        RestJson.Response denied = as("reader").post("/_mf/model/" + MODEL + "/_rollback", "{\"version\": 1}");
        assertEquals(403, denied.status(), denied.body().toString());
        assertTrue(denied.body().path("error").path("reason").asText().contains("cluster:admin/mf/model/rollback"), denied.body()
            .toString());
        assertEquals(403, as("reader").send("DELETE", "/_mf/model/" + MODEL + "/version/1", null).status());

        RestJson.Response rollback = as("model_admin").post("/_mf/model/" + MODEL + "/_rollback", "{\"version\": 1}");
        assertEquals(200, rollback.status(), rollback.body().toString());
        assertEquals(1, rollback.body().path("live_version").asInt());
        RestJson.Response listed = as("model_admin").get("/_mf/model");
        assertEquals(200, listed.status(), listed.body().toString());
        assertEquals(1, listed.body().path("models").path(0).path("pinned_version").asInt(), listed.body().toString());
        RestJson.Response unpin = as("model_admin").post("/_mf/model/" + MODEL + "/_unpin", null);
        assertEquals(200, unpin.status(), unpin.body().toString());
        assertEquals(1, unpin.body().path("unpinned_version").asInt());
        assertEquals(404, as("model_admin").send("DELETE", "/_mf/model/" + MODEL + "/version/9", null).status());
        assertEquals(200, as("model_admin").get("/_mf/_stats").status());
    }

    @Test
    void anonymousRequestsAreRejected() throws IOException {
        RestJson.Response r = new RestJson(node.url(), null).post("/_mf/model/" + MODEL + "/_fold_in", "{\"user\": \"u3\"}");
        assertEquals(401, r.status(), r.body().toString());
        assertFalse(r.body().toString().contains("\"vector\""));
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        if (v == null) {
            throw new IllegalStateException("system property [" + property + "] is not set; run through mvn verify");
        }
        return v;
    }
}
