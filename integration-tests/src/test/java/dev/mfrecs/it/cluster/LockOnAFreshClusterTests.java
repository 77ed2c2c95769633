package dev.mfrecs.it.cluster;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import com.carrotsearch.randomizedtesting.annotations.ThreadLeakFilters;
import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.plugin.MfRecommendationsPlugin;
import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.es.RestJson;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelLock;
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

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The model lock as the first document a cluster ever gets: a {@code models} command (or a benchmark) run against a cluster no
 * trainer has written to yet takes the lock before any metadata index exists. That must create the metadata index with the
 * contract's mapping, not with dynamic mappings the contract cannot replace (which failed every later run with "mapper [owner]
 * cannot be changed from type [text] to [keyword]"), so the first training afterwards publishes. A fresh 2-node internal
 * cluster per test, the real trainer over HTTP.
 */
@ThreadLeakFilters(filters = { GraalVMThreadsFilter.class, NettyGlobalThreadsFilter.class, JnaCleanerThreadsFilter.class,
    PublishWhileShardsMoveTests.ClientThreads.class })
@ESIntegTestCase.ClusterScope(scope = ESIntegTestCase.Scope.TEST, numDataNodes = 2, numClientNodes = 0, supportsDedicatedMasters = false)
public class LockOnAFreshClusterTests extends ESIntegTestCase {

    private static final String INDEX = "interactions-fresh-cluster";
    private static final String MODEL = "first";

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(MfRecommendationsPlugin.class, Netty4Plugin.class);
    }

    @Override
    protected boolean addMockHttpTransport() {
        return false;
    }

    public void testALockTakenBeforeAnyTrainingLeavesTheContractsMappingAndTheFirstRunPublishes() throws Exception {
        prepareCreate(INDEX).setSettings(indexSettings(2, 1)).setMapping("user_id", "type=keyword", "item_id", "type=keyword",
            "event_type", "type=keyword").get();
        BulkRequestBuilder bulk = client().prepareBulk().setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
        for (int e = 0; e < 400; e++) {
            bulk.add(client().prepareIndex(INDEX).setSource(Map.of("user_id", "u" + (e % 40), "item_id", "i" + (e * 7 % 60),
                "event_type", "view")));
        }
        assertFalse(bulk.get().hasFailures());
        assertFalse(indexExists(ModelIndices.METADATA_INDEX));

        var address = internalCluster().getInstance(HttpServerTransport.class).boundAddress().publishAddress();
        String url = "http://" + NetworkAddress.format(address.address());
        ProgressLog log = new ProgressLog(System.err, true);
        try (ElasticsearchClient es = EsConnection.of(url).client()) {
            // What models unpin/rollback/delete and bench-serving do first on a cluster no trainer has written to.
            try (ModelLock lock = ModelLock.acquire(es, MODEL, "unpin", ModelLock.Lease.DEFAULT, log)) {
                assertTrue(lock.toString(), indexExists(ModelIndices.METADATA_INDEX));
            }
            JsonNode owner = new RestJson(url, null).get("/" + ModelIndices.METADATA_INDEX + "/_mapping").body()
                .path(ModelIndices.METADATA_INDEX).path("mappings").path("properties").path("owner");
            assertEquals(owner.toString(), "keyword", owner.path("type").asText());

            InteractionFields fields = InteractionFields.defaults(INDEX).withWeights(Map.of("view", 1f));
            TrainJob job = new TrainJob(MODEL, fields, new ImplicitAlsParams(4, 2, 0.1f, Confidence.linear(10f), Solver.CG, 3, 42L, 1),
                1, 1, null, 3);
            assertEquals(1, job.run(es, log));
        }
        assertTrue(indexExists(ModelIndices.itemsIndex(MODEL, 1)));
    }
}
