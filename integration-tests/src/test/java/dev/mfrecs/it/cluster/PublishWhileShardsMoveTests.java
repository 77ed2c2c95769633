package dev.mfrecs.it.cluster;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import com.carrotsearch.randomizedtesting.ThreadFilter;
import com.carrotsearch.randomizedtesting.annotations.ThreadLeakFilters;
import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.it.QueryLoop;
import dev.mfrecs.plugin.MfRecommendationsPlugin;
import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.es.RestJson;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.train.TrainJob;

import org.elasticsearch.action.bulk.BulkRequestBuilder;
import org.elasticsearch.action.support.WriteRequest;
import org.elasticsearch.common.network.NetworkAddress;
import org.elasticsearch.http.HttpServerTransport;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.test.GraalVMThreadsFilter;
import org.elasticsearch.test.JnaCleanerThreadsFilter;
import org.elasticsearch.test.NettyGlobalThreadsFilter;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A publish on a 3-node internal cluster while shards move under it: the live version's items primary is relocated to another
 * node and the node holding the new version's items primary (loaded without replicas) is restarted, both started by the first
 * answered bulk of the new version, while a query loop runs through the aliases. The trainer is the real one (its Java client
 * over HTTP, Netty4 on the nodes); the new version must go live complete, and the queries must not fail.
 * <p>
 * It lives in the integration-tests module because that module has the trainer and the plugin on its test classpath; the ES
 * test framework is added there in test scope (no jar hell: nothing in the trainer duplicates an Elasticsearch or Lucene
 * class) and this test runs under surefire with the JUnit 4 provider, while the real-node tests run under failsafe.
 */
@ThreadLeakFilters(filters = { GraalVMThreadsFilter.class, NettyGlobalThreadsFilter.class, JnaCleanerThreadsFilter.class,
    PublishWhileShardsMoveTests.ClientThreads.class })
@ESIntegTestCase.ClusterScope(scope = ESIntegTestCase.Scope.TEST, numDataNodes = 3, numClientNodes = 0, supportsDedicatedMasters = false)
public class PublishWhileShardsMoveTests extends ESIntegTestCase {

    private static final String INDEX = "interactions-moving";
    private static final String MODEL = "moving";
    private static final int USERS = 300;
    private static final int ITEMS = 600;
    private static final int EVENTS = 4_000;

    /**
     * The JDK HTTP client's threads (the query loop's), which end when the client is collected rather than when it is last
     * used; the trainer's own client and lock threads are closed by the test.
     */
    public static final class ClientThreads implements ThreadFilter {
        @Override
        public boolean reject(Thread t) {
            return t.getName().startsWith("HttpClient-");
        }
    }

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(MfRecommendationsPlugin.class, Netty4Plugin.class);
    }

    @Override
    protected boolean addMockHttpTransport() {
        return false;
    }

    private static String httpUrl(String node) {
        var address = internalCluster().getInstance(HttpServerTransport.class, node).boundAddress().publishAddress();
        return "http://" + NetworkAddress.format(address.address());
    }

    private static TrainJob job() {
        InteractionFields fields = InteractionFields.defaults(INDEX).withWeights(Map.of("view", 1f, "purchase", 3f));
        return new TrainJob(MODEL, fields, new ImplicitAlsParams(8, 3, 0.1f, Confidence.linear(10f), Solver.CG, 3, 42L, 1), 1, 1, null,
            3);
    }

    private void loadInteractions() {
        prepareCreate(INDEX).setSettings(indexSettings(2, 1)).setMapping("user_id", "type=keyword", "item_id", "type=keyword",
            "event_type", "type=keyword").get();
        Random random = new Random(5);
        BulkRequestBuilder bulk = client().prepareBulk().setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
        for (int e = 0; e < EVENTS; e++) {
            int u = e < USERS ? e : random.nextInt(USERS);
            int i = e < ITEMS ? e : random.nextInt(ITEMS);
            bulk.add(client().prepareIndex(INDEX).setSource(Map.of("user_id", "u" + u, "item_id", "i" + i, "event_type",
                random.nextInt(10) < 7 ? "view" : "purchase")));
        }
        assertFalse(bulk.get().hasFailures());
        ensureGreen(INDEX);
    }

    /** The node names holding copies of {@code index}'s shard 0: the primary first. */
    private static List<String> copies(RestJson rest, String index) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode s : rest.get("/_cat/shards/" + index + "?format=json&h=shard,prirep,state,node").body()) {
            if (s.path("shard").asText().equals("0") && s.path("state").asText().equals("STARTED")) {
                out.add(s.path("prirep").asText().equals("p") ? 0 : out.size(), s.path("node").asText());
            }
        }
        return out;
    }

    public void testPublishWhileTheLivePrimaryRelocatesAndTheNewPrimarysNodeRestarts() throws Exception {
        loadInteractions();
        String master = internalCluster().getMasterName();
        String url = httpUrl(master);
        RestJson rest = new RestJson(url, null);
        ProgressLog log = new ProgressLog(System.err, true);
        try (ElasticsearchClient es = EsConnection.of(url).client()) {
            int v1 = job().run(es, log);
            ensureGreen();
            List<String> users = new ArrayList<>();
            List<String> items = new ArrayList<>();
            for (int u = 0; u < USERS; u += 9) {
                users.add("u" + u);
            }
            for (int i = 0; i < ITEMS; i += 7) {
                items.add("i" + i);
            }
            List<String> happened = new CopyOnWriteArrayList<>();
            AtomicReference<Exception> disturbanceFailure = new AtomicReference<>();
            AtomicBoolean started = new AtomicBoolean();
            String liveItems = ModelIndices.itemsIndex(MODEL, v1);
            String newItems = ModelIndices.itemsIndex(MODEL, v1 + 1);
            Thread disturbance = new Thread(() -> {
                try {
                    // The live version's items primary moves to the node that has no copy of it, under query load.
                    List<String> live = copies(rest, liveItems);
                    String target = internalCluster().getNodeNames()[0];
                    for (String n : internalCluster().getNodeNames()) {
                        if (live.contains(n) == false) {
                            target = n;
                        }
                    }
                    RestJson.Response moved = rest.post("/_cluster/reroute", "{\"commands\": [{\"move\": {\"index\": \"" + liveItems
                        + "\", \"shard\": 0, \"from_node\": \"" + live.get(0) + "\", \"to_node\": \"" + target + "\"}}]}");
                    assertEquals(moved.body().toString(), 200, moved.status());
                    happened.add("moved the live primary of " + liveItems + " from " + live.get(0) + " to " + target);
                    // The node with the new version's items primary (no replica while loading) restarts; never the trainer's node.
                    List<String> loading = copies(rest, newItems);
                    String victim = loading.isEmpty() || loading.get(0).equals(master) ? null : loading.get(0);
                    for (String n : internalCluster().getNodeNames()) {
                        if (victim == null && n.equals(master) == false) {
                            victim = n;
                        }
                    }
                    happened.add("restarting " + victim + " (holding " + loading + " of " + newItems + ")");
                    internalCluster().restartNode(victim);
                    happened.add("restarted " + victim);
                } catch (Exception e) {
                    disturbanceFailure.set(e);
                }
            }, "shard-mover");
            QueryLoop loop = QueryLoop.start(rest, MODEL, users, items, true);
            int v2;
            try {
                v2 = job().run(es, log, (index, written) -> {
                    if (index.equals(newItems) && started.compareAndSet(false, true)) {
                        disturbance.start();
                    }
                });
            } finally {
                if (started.get()) {
                    disturbance.join();
                }
            }
            QueryLoop.Result seen = loop.stop();
            logger.info("publish under shard movement: {}; query loop: {}", happened, seen.describe());
            assertNull(disturbanceFailure.get());
            assertTrue("the disturbance did not run during the publish: " + happened, started.get() && happened.size() == 3);
            assertEquals(v1 + 1, v2);
            ensureGreen();
            JsonNode aliases = rest.get("/_alias/" + ModelIndices.itemsAlias(MODEL) + "," + ModelIndices.usersAlias(MODEL)).body();
            assertTrue(aliases.toString(), aliases.has(newItems) && aliases.has(ModelIndices.usersIndex(MODEL, v2)));
            assertEquals(ITEMS, rest.get("/" + newItems + "/_count").body().path("count").asInt());
            assertEquals(USERS, rest.get("/" + ModelIndices.usersIndex(MODEL, v2) + "/_count").body().path("count").asInt());
            assertTrue("v" + v1 + " was lost", indexExists(liveItems));
            assertTrue(seen.describe(), seen.clean());
            // Every node answers for the new version.
            for (String node : internalCluster().getNodeNames()) {
                JsonNode hits = new RestJson(httpUrl(node), null).postOk("/" + MODEL + "-items/_search", "{\"size\": 5, \"query\": "
                    + "{\"mf_recommend\": {\"model\": \"" + MODEL + "\", \"user\": \"u3\", \"k\": 5}}}").path("hits").path("hits");
                assertEquals(node, 5, hits.size());
                assertEquals(node, newItems, hits.path(0).path("_index").asText());
            }
        }
    }
}
