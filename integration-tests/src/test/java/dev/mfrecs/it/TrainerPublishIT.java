package dev.mfrecs.it;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.trainer.es.ReadPlan;
import dev.mfrecs.devkit.node.SharedNode;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.contract.VectorIndexOptions;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelLock;
import dev.mfrecs.trainer.publish.VersionManager;
import dev.mfrecs.trainer.settings.AlgorithmSettings;
import dev.mfrecs.trainer.train.PublishRefusedException;
import dev.mfrecs.trainer.train.TrainJob;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trainer's publish path on a real node: versions, the atomic alias swap, retention, rollback and delete, and the
 * mapping the item vectors get.
 */
class TrainerPublishIT {

    static final String MODEL = "rotation";

    @BeforeAll
    static void setUp() throws IOException {
        SyntheticShop.ensureLoadedAndTrained();
    }

    private static int train() throws IOException {
        InteractionFields fields = InteractionFields.defaults(SyntheticShop.INDEX).withWeights(Map.of("purchase", 1f));
        ImplicitAlsParams params = new ImplicitAlsParams(8, 3, 0.1f, Confidence.linear(1f), Solver.CHOLESKY, 3, 1L, 2);
        return new TrainJob(MODEL, fields, params, 1, 1, null, 2).run(SharedNode.client(), ProgressLog.stderr());
    }

    @Test
    void versionsSwapRetainRollBackPinAndDelete() throws IOException {
        ElasticsearchClient client = SharedNode.client();
        VersionManager versions = new VersionManager(client, ProgressLog.stderr());
        int v1 = train();
        assertEquals(v1, versions.liveVersion(MODEL));
        int v2 = train();
        assertEquals(v1 + 1, v2);
        assertEquals(v2, versions.liveVersion(MODEL));
        assertTrue(client.indices().exists(e -> e.index(ModelIndices.itemsIndex(MODEL, v1))).value(), "v1 kept (keep=2)");
        int v3 = train();
        assertEquals(v3, versions.liveVersion(MODEL));
        assertFalse(client.indices().exists(e -> e.index(ModelIndices.itemsIndex(MODEL, v1))).value(), "v1 dropped by retention");
        assertEquals(2, versions.versions(MODEL).size());

        try (ModelLock lock = ModelLock.acquire(client, MODEL, "test", ModelLock.Lease.DEFAULT, ProgressLog.stderr())) {
            assertEquals(v2, versions.rollback(MODEL, null, "test", lock));
            assertEquals(v2, versions.liveVersion(MODEL));
            // The users alias moved with the items alias.
            assertTrue(client.indices().getAlias(g -> g.name(ModelIndices.usersAlias(MODEL))).aliases().containsKey(
                ModelIndices.usersIndex(MODEL, v2)));
            assertThrows(IllegalArgumentException.class, () -> versions.deleteVersion(MODEL, v2, lock));
        }
        // A rollback pins: the next scheduled run trains but does not publish over it.
        PublishRefusedException refused = assertThrows(PublishRefusedException.class, TrainerPublishIT::train);
        assertTrue(refused.getMessage().contains("pinned to version [" + v2 + "]"), refused.getMessage());
        assertEquals(v2, versions.liveVersion(MODEL));
        try (ModelLock lock = ModelLock.acquire(client, MODEL, "test", ModelLock.Lease.DEFAULT, ProgressLog.stderr())) {
            versions.deleteVersion(MODEL, v3, lock);
            assertEquals(v2, versions.unpin(MODEL, lock));
        }
        assertEquals(1, versions.versions(MODEL).size());
        // Versions are never reused, even after a delete.
        int v4 = train();
        assertTrue(v4 > v3, "new version " + v4 + " must not reuse a number");
    }

    /** Folding a trained user in from their stored history must give their stored vector: the same kernel, both sides. */
    static void assertFoldInReproducesStoredUser(String model, String user) throws IOException {
        var stored = SharedNode.rest().get("/" + model + "-users/_doc/" + user + "?_source_includes=*,vector").body().path("_source");
        StringBuilder history = new StringBuilder();
        for (int j = 0; j < stored.path("seen_items").size(); j++) {
            history.append(j == 0 ? "" : ", ").append("{\"item\": \"").append(stored.path("seen_items").path(j).asText())
                .append("\", \"value\": ").append(stored.path("seen_values").path(j).asDouble()).append('}');
        }
        var folded = SharedNode.rest().postOk("/_mf/model/" + model + "/_fold_in", "{\"history\": [" + history + "]}").path("vector");
        var vector = stored.path("vector");
        assertEquals(vector.size(), folded.size());
        for (int j = 0; j < vector.size(); j++) {
            assertEquals(vector.path(j).asDouble(), folded.path(j).asDouble(), 2e-3 * Math.max(1, Math.abs(vector.path(j).asDouble())),
                model + " dim " + j);
        }
    }

    @Test
    void foldInOfAStoredHistoryReproducesTheStoredVector() throws IOException {
        assertFoldInReproducesStoredUser(SyntheticShop.MODEL, "u3");
        // The same with the Rendle et al. 2021 options, which the metadata must carry to the plugin's fold-in.
        InteractionFields fields = InteractionFields.defaults(SyntheticShop.INDEX).withWeights(Map.of("view", 1f, "purchase", 4f));
        ImplicitAlsParams params = new ImplicitAlsParams(8, 6, 0.5f, Confidence.linear(2f), Solver.CG, 3, 3L, 2).withRendle(0.3f, 0.5f);
        new TrainJob("rendle", fields, params, 1, 1, null, 2).run(SharedNode.client(), ProgressLog.stderr());
        var meta = SharedNode.rest().get("/_mf/model/rendle").body().path("versions").path(0);
        assertEquals(0.3, meta.path("implicit").path("alpha0").asDouble(), 1e-6);
        assertEquals(0.5, meta.path("implicit").path("nu").asDouble(), 1e-6);
        assertFoldInReproducesStoredUser("rendle", "u3");
    }

    @Test
    void forceMergedVersionHasOneSegmentPerShardAndServes() throws IOException {
        InteractionFields fields = InteractionFields.defaults(SyntheticShop.INDEX).withWeights(Map.of("purchase", 1f));
        ImplicitAlsParams params = new ImplicitAlsParams(8, 3, 0.1f, Confidence.linear(1f), Solver.CG, 3, 1L, 2);
        int version = new TrainJob("merged", AlgorithmSettings.of(params), fields, 1, 1, null, 2, ReadPlan.Window.ALL, true).run(
            SharedNode.client(), ProgressLog.stderr());
        for (String index : new String[] { ModelIndices.itemsIndex("merged", version), ModelIndices.usersIndex("merged", version) }) {
            var shards = SharedNode.rest().get("/" + index + "/_segments").body().path("indices").path(index).path("shards");
            assertTrue(shards.size() > 0, index);
            shards.forEach(copies -> copies.forEach(copy -> assertEquals(1, copy.path("num_search_segments").asInt(), index + " " + copy)));
        }
        var hits = SharedNode.rest().postOk("/merged-items/_search", "{\"query\": {\"mf_recommend\": {\"model\": \"merged\", "
            + "\"user\": \"u3\", \"k\": 5}}, \"size\": 5}").path("hits").path("hits");
        assertEquals(5, hits.size());
    }

    @Test
    void itemVectorMappingIsExplicit() throws IOException {
        var mapping = SharedNode.rest().get("/" + ModelIndices.itemsIndex(SyntheticShop.MODEL, 1) + "/_mapping").body();
        var vector = mapping.path(ModelIndices.itemsIndex(SyntheticShop.MODEL, 1)).path("mappings").path("properties").path("vector");
        assertEquals("dense_vector", vector.path("type").asText());
        assertEquals(SyntheticShop.FACTORS, vector.path("dims").asInt());
        assertEquals("max_inner_product", vector.path("similarity").asText());
        assertEquals("hnsw", vector.path("index_options").path("type").asText());
        // the template's graph, chosen from the kNN sweep (docs/serving-benchmark.md)
        assertEquals(16, vector.path("index_options").path("m").asInt());
        assertEquals(100, vector.path("index_options").path("ef_construction").asInt());
    }

    @Test
    void indexOptionsOfARunBecomeTheVersionsItemVectorMappingAndItServes() throws IOException {
        InteractionFields fields = InteractionFields.defaults(SyntheticShop.INDEX).withWeights(Map.of("purchase", 1f));
        ImplicitAlsParams params = new ImplicitAlsParams(8, 3, 0.1f, Confidence.linear(1f), Solver.CG, 3, 1L, 2);
        VectorIndexOptions options = VectorIndexOptions.parse("int8_hnsw:m=24:ef_construction=150:oversample=2");
        int version = new TrainJob("quantized", AlgorithmSettings.of(params), fields, 1, 1, null, 2, ReadPlan.Window.ALL, false)
            .withIndexOptions(options).run(SharedNode.client(), ProgressLog.stderr());
        String items = ModelIndices.itemsIndex("quantized", version);
        var properties = SharedNode.rest().get("/" + items + "/_mapping").body().path(items).path("mappings").path("properties");
        for (String field : new String[] { ModelIndices.VECTOR, ModelIndices.VECTOR_COSINE }) {
            var indexOptions = properties.path(field).path("index_options");
            assertEquals("int8_hnsw", indexOptions.path("type").asText(), field + " " + indexOptions);
            assertEquals(24, indexOptions.path("m").asInt(), field + " " + indexOptions);
            assertEquals(150, indexOptions.path("ef_construction").asInt(), field + " " + indexOptions);
            assertEquals(2.0, indexOptions.path("rescore_vector").path("oversample").asDouble(), 1e-6, field + " " + indexOptions);
            assertEquals(8, properties.path(field).path("dims").asInt(), field);
        }
        String users = ModelIndices.usersIndex("quantized", version);
        var userVector = SharedNode.rest().get("/" + users + "/_mapping").body().path(users).path("mappings").path("properties")
            .path(ModelIndices.VECTOR);
        assertFalse(userVector.path("index").asBoolean(true), "user vectors stay unindexed: " + userVector);
        var hits = SharedNode.rest().postOk("/quantized-items/_search", "{\"query\": {\"mf_recommend\": {\"model\": \"quantized\", "
            + "\"user\": \"u3\", \"k\": 5}}, \"size\": 5}").path("hits").path("hits");
        assertEquals(5, hits.size());
    }

    @Test
    void metadataHoldsGramAndInteractionsRecipe() throws IOException {
        var doc = SharedNode.rest().get("/" + ModelIndices.METADATA_INDEX + "/_doc/" + ModelIndices.metadataId(SyntheticShop.MODEL, 1))
            .body().path("_source");
        assertEquals(SyntheticShop.FACTORS * SyntheticShop.FACTORS, doc.path("implicit").path("gram").size());
        assertEquals(SyntheticShop.INDEX, doc.path("interactions").path("index").asText());
        assertEquals(5.0, doc.path("interactions").path("weights").path("purchase").asDouble(), 0);
        assertEquals(SyntheticShop.events(), doc.path("training").path("event_count").asLong());
        assertEquals(ModelMetadata.SCHEMA_VERSION, doc.path("schema_version").asInt());
        // Every declared key is written, unset ones as null: a view filtered by field-level security cannot pass for a model.
        assertTrue(doc.path("interactions").has("binarize_at") && doc.path("interactions").path("binarize_at").isNull());
    }
}
