package dev.mfrecs.plugin.manage;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelLockDocument;
import dev.mfrecs.contract.ModelStateDocument;
import dev.mfrecs.plugin.MfRecommendationsPlugin;
import dev.mfrecs.plugin.TestModels;
import dev.mfrecs.plugin.action.DeleteModelAction;
import dev.mfrecs.plugin.action.DeleteModelVersionAction;
import dev.mfrecs.plugin.action.GetModelAction;
import dev.mfrecs.plugin.action.GetModelRequest;
import dev.mfrecs.plugin.action.GetModelResponse;
import dev.mfrecs.plugin.action.ListModelsAction;
import dev.mfrecs.plugin.action.ListModelsRequest;
import dev.mfrecs.plugin.action.MfStatsAction;
import dev.mfrecs.plugin.action.MfStatsRequest;
import dev.mfrecs.plugin.action.MfStatsResponse;
import dev.mfrecs.plugin.action.ModelAdminRequest;
import dev.mfrecs.plugin.action.ModelAdminResponse;
import dev.mfrecs.plugin.action.RollbackModelAction;
import dev.mfrecs.plugin.action.UnpinModelAction;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.action.support.WriteRequest;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestStatus;
import org.elasticsearch.test.ESIntegTestCase;
import org.elasticsearch.xcontent.XContentType;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Model management through the plugin's actions on an internal cluster of two nodes: rollback pins, the live and the pinned
 * version are never deleted, the lock is the trainer's document with the trainer's lease rules, a whole model is deleted with
 * its metadata while its version counter stays, the listing shows every model, and each node counts what it served.
 */
@ESIntegTestCase.ClusterScope(scope = ESIntegTestCase.Scope.SUITE, numDataNodes = 2)
public class ModelManagementClusterTests extends ESIntegTestCase {

    @Override
    protected Collection<Class<? extends Plugin>> nodePlugins() {
        return List.of(MfRecommendationsPlugin.class);
    }

    private void ensureMetadataIndex() {
        if (indexExists(ModelIndices.METADATA_INDEX) == false) {
            Map<String, Object> body = XContentHelper.convertToMap(XContentType.JSON.xContent(), ModelIndices.template(
                "model-metadata.json"), false);
            @SuppressWarnings("unchecked")
            Map<String, Object> mappings = (Map<String, Object>) body.get("mappings");
            prepareCreate(ModelIndices.METADATA_INDEX).setSettings(indexSettings(1, 0)).setMapping(mappings).get();
        }
    }

    /** Publishes versions 1..n of {@code model} (empty indices, metadata documents) and points the aliases at version n. */
    private String publish(int n) {
        ensureMetadataIndex();
        String model = "m" + randomAlphaOfLength(8).toLowerCase(Locale.ROOT);
        for (int v = 1; v <= n; v++) {
            prepareCreate(ModelIndices.itemsIndex(model, v)).setSettings(indexSettings(1, 0)).get();
            prepareCreate(ModelIndices.usersIndex(model, v)).setSettings(indexSettings(1, 0)).get();
            client().prepareIndex(ModelIndices.METADATA_INDEX).setId(ModelIndices.metadataId(model, v)).setSource(TestModels
                .identityDocument(model, v, 4)).setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE).get();
        }
        indicesAdmin().prepareAliases(TEST_REQUEST_TIMEOUT, TEST_REQUEST_TIMEOUT).addAlias(ModelIndices.itemsIndex(model, n),
            ModelIndices.itemsAlias(model)).addAlias(ModelIndices.usersIndex(model, n), ModelIndices.usersAlias(model)).get();
        client().prepareIndex(ModelIndices.METADATA_INDEX).setId(ModelStateDocument.id(model)).setSource(ModelStateDocument.initial(model)
            .withLastVersion(n).toMap()).setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE).get();
        return model;
    }

    private static ModelAdminResponse admin(ModelAdminRequest request) {
        var type = switch (request.api()) {
            case RollbackModelAction.API -> RollbackModelAction.INSTANCE;
            case UnpinModelAction.API -> UnpinModelAction.INSTANCE;
            case DeleteModelVersionAction.API -> DeleteModelVersionAction.INSTANCE;
            default -> DeleteModelAction.INSTANCE;
        };
        return client().execute(type, request).actionGet();
    }

    private static ModelAdminResponse rollback(String model, Integer version) {
        return admin(new ModelAdminRequest(RollbackModelAction.API, model, version, false));
    }

    private static ModelAdminResponse deleteVersion(String model, int version) {
        return admin(new ModelAdminRequest(DeleteModelVersionAction.API, model, version, true));
    }

    private static int live(String model) {
        return new ModelAdmin(client()).liveVersion(model);
    }

    public void testRollbackPinsAndTheLiveAndPinnedVersionsAreNeverDeleted() {
        String model = publish(3);
        assertEquals(2, rollback(model, null).body().get("live_version"));
        assertEquals(2, live(model));
        assertEquals(Integer.valueOf(2), new ModelAdmin(client()).state(model).document().pinnedVersion());
        GetModelResponse described = client().execute(GetModelAction.INSTANCE, new GetModelRequest(model)).actionGet();
        assertEquals(2, described.liveVersion());
        assertEquals(2, described.pinned().get("version"));
        assertEquals("REST _rollback on node ", ((String) described.pinned().get("by")).substring(0, 23));
        assertNull(described.lock());
        assertEquals(3, described.versions().size());

        ElasticsearchStatusException liveDelete = expectThrows(ElasticsearchStatusException.class, () -> deleteVersion(model, 2));
        assertEquals(RestStatus.CONFLICT, liveDelete.status());
        assertTrue(liveDelete.getMessage(), liveDelete.getMessage().contains("version [2] is live"));
        assertTrue(indexExists(ModelIndices.itemsIndex(model, 2)));

        assertEquals(3, deleteVersion(model, 3).body().get("deleted_version"));
        assertFalse(indexExists(ModelIndices.itemsIndex(model, 3)));
        assertFalse(indexExists(ModelIndices.usersIndex(model, 3)));
        assertFalse(client().prepareGet(ModelIndices.METADATA_INDEX, ModelIndices.metadataId(model, 3)).get().isExists());

        assertEquals(1, rollback(model, 1).body().get("live_version"));
        ElasticsearchStatusException pinnedDelete = expectThrows(ElasticsearchStatusException.class, () -> deleteVersion(model, 1));
        assertEquals(RestStatus.CONFLICT, pinnedDelete.status());
        assertEquals(2, deleteVersion(model, 2).body().get("deleted_version"));

        expectThrows(ResourceNotFoundException.class, () -> rollback(model, 7));
        assertEquals(1, admin(new ModelAdminRequest(UnpinModelAction.API, model, null, false)).body().get("unpinned_version"));
        assertNull(new ModelAdmin(client()).state(model).document().pinnedVersion());
        // Every change released the lock.
        assertFalse(client().prepareGet(ModelIndices.METADATA_INDEX, ModelLockDocument.id(model)).get().isExists());
    }

    public void testALiveLockRefusesChangesAndAnExpiredOneIsTakenOver() {
        String model = publish(2);
        Instant now = Instant.now();
        ModelLockDocument trainer = new ModelLockDocument(model, "host-a/4242/run-1", "train", now, now, now.plusSeconds(120));
        client().prepareIndex(ModelIndices.METADATA_INDEX).setId(ModelLockDocument.id(model)).setSource(trainer.toMap())
            .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE).get();
        ElasticsearchStatusException locked = expectThrows(ElasticsearchStatusException.class, () -> rollback(model, null));
        assertEquals(RestStatus.CONFLICT, locked.status());
        assertTrue(locked.getMessage(), locked.getMessage().contains("locked by [host-a/4242/run-1] (train)"));
        assertEquals(2, live(model));

        ModelLockDocument expired = new ModelLockDocument(model, "host-a/4242/run-1", "train", now.minusSeconds(600), now.minusSeconds(
            300), now.minusSeconds(180));
        client().prepareIndex(ModelIndices.METADATA_INDEX).setId(ModelLockDocument.id(model)).setSource(expired.toMap())
            .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE).get();
        assertEquals(1, rollback(model, null).body().get("live_version"));
        assertEquals(1, live(model));
        GetResponse lock = client().prepareGet(ModelIndices.METADATA_INDEX, ModelLockDocument.id(model)).get();
        assertFalse("the taken-over lock is released after the rollback", lock.isExists());
    }

    public void testDeleteModelRemovesEverythingButTheVersionCounter() {
        String model = publish(2);
        rollback(model, 1);
        ModelAdminResponse r = admin(new ModelAdminRequest(DeleteModelAction.API, model, null, false));
        assertEquals(List.of(1, 2), r.body().get("deleted_versions"));
        for (int v = 1; v <= 2; v++) {
            assertFalse(indexExists(ModelIndices.itemsIndex(model, v)));
            assertFalse(indexExists(ModelIndices.usersIndex(model, v)));
        }
        assertEquals(-1, live(model));
        ModelStateDocument state = new ModelAdmin(client()).state(model).document();
        assertEquals(2, state.lastVersion());
        assertNull(state.pinnedVersion());
        expectThrows(ResourceNotFoundException.class, () -> client().execute(GetModelAction.INSTANCE, new GetModelRequest(model))
            .actionGet());
        expectThrows(ResourceNotFoundException.class, () -> admin(new ModelAdminRequest(DeleteModelAction.API, model, null, false)));
        assertTrue(client().execute(ListModelsAction.INSTANCE, new ListModelsRequest()).actionGet().models().stream()
            .noneMatch(m -> model.equals(m.get("model"))));
    }

    public void testListShowsEveryModelWithItsLiveVersionAndPin() {
        String a = publish(2);
        String b = publish(3);
        rollback(b, 2);
        List<Map<String, Object>> models = client().execute(ListModelsAction.INSTANCE, new ListModelsRequest()).actionGet().models();
        Map<String, Object> first = models.stream().filter(m -> a.equals(m.get("model"))).findFirst().orElseThrow();
        Map<String, Object> second = models.stream().filter(m -> b.equals(m.get("model"))).findFirst().orElseThrow();
        assertEquals(2, first.get("live_version"));
        assertNull(first.get("pinned_version"));
        assertEquals(List.of(2, 1), first.get("versions"));
        assertEquals(2, second.get("live_version"));
        assertEquals(2, second.get("pinned_version"));
        assertNull(second.get("last_run"));
    }

    public void testInvalidRequestsNameTheValue() {
        ActionRequestValidationException e = expectThrows(ActionRequestValidationException.class, () -> deleteVersion("ok", 0));
        assertTrue(e.getMessage(), e.getMessage().contains("[mf_delete_model_version] [version] must be >= 1, got [0]"));
        e = expectThrows(ActionRequestValidationException.class, () -> rollback("Bad Name", null));
        assertTrue(e.getMessage(), e.getMessage().contains("[mf_rollback_model] model name [Bad Name]"));
    }

    public void testEveryNodeReportsItsOwnCounters() {
        String model = publish(1);
        String node = internalCluster().getNodeNames()[0];
        for (int i = 0; i < 3; i++) {
            client(node).execute(GetModelAction.INSTANCE, new GetModelRequest(model)).actionGet();
        }
        expectThrows(ResourceNotFoundException.class, () -> client(node).execute(GetModelAction.INSTANCE, new GetModelRequest("nope"))
            .actionGet());
        MfStatsResponse stats = client().execute(MfStatsAction.INSTANCE, new MfStatsRequest()).actionGet();
        assertEquals(internalCluster().size(), stats.getNodes().size());
        assertFalse(stats.hasFailures());
        long total = 0;
        for (MfStatsResponse.NodeStats n : stats.getNodes()) {
            var getModel = n.stats().requests().get("get_model");
            if (n.getNode().getName().equals(node)) {
                assertTrue("node " + node + " served 4 model reads, reported " + getModel.count(), getModel.count() >= 4);
                assertTrue(getModel.failed() >= 1);
                assertTrue(getModel.latency().count() >= 4);
                assertTrue(getModel.latency().p50() > 0);
                assertTrue(getModel.latency().p99() >= getModel.latency().p50());
            }
            total += getModel.count();
        }
        assertTrue(total >= 4);
    }
}
