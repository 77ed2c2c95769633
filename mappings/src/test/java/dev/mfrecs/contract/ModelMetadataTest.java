package dev.mfrecs.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ImplicitAlsParams;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The metadata document is written and read only through the contract: a JSON round trip gives the same model back, every
 * required field missing is an error naming it, an undeclared field is refused, and the metadata index's strict mapping declares
 * every field the contract can write (so a trainer that writes anything else fails at index time, and this test fails first).
 */
class ModelMetadataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static ModelMetadata implicitModel() {
        InteractionFields fields = new InteractionFields("interactions", "user_id", "item_id", "event_type", "quantity", "timestamp",
            Map.of("purchase", 1f, "return", -1f), 30);
        InteractionRecipe recipe = new InteractionRecipe(fields, DuplicatePolicy.SUM, null, "{\"term\":{\"country\":\"FR\"}}", 10L, 99L,
            98L);
        float[] gram = { 4f, 1f, 1f, 3f };
        TrainingSummary training = new TrainingSummary("local", "0.1.0", Instant.parse("2026-11-30T00:00:00Z"), 15, "cg", 42L, 1000L,
            800L, 1.5, 0.1, Map.of("threads", 2, "cg_steps", 3));
        return new ModelMetadata("retail", 3, ModelAlgorithm.IALS, 2, 0.1f, 40, 30, new ImplicitTerms(Confidence.log(5f, 2f),
            new ImplicitAlsParams.Rendle(0.5f, 1f), gram, new float[] { 2f, 0f, 0f, 2f }), null, recipe, new CatalogSource("products",
            List.of("category")), List.of("a", "b"), training);
    }

    static ModelMetadata explicitModel() {
        InteractionFields fields = new InteractionFields("ratings", "user_id", "item_id", "event_type", "rating", null, Map.of(), 0);
        InteractionRecipe recipe = new InteractionRecipe(fields, DuplicatePolicy.MEAN, 4f, null, null, null, null);
        TrainingSummary training = new TrainingSummary("local", "0.1.0", Instant.parse("2026-11-30T00:00:00Z"), 10, "cholesky", 1L, 10L,
            9L, 0.5, 0.05, Map.of());
        return new ModelMetadata("movies", 1, ModelAlgorithm.ALS, 4, 0.05f, 5, 6, null, new ExplicitTerms(3.5f, 1f, 5f), recipe,
            null, List.of("x"), training);
    }

    /** What the document looks like after Elasticsearch stored it and a JSON parser read it back. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> throughJson(ModelMetadata m) throws Exception {
        return JSON.readValue(JSON.writeValueAsString(m.toMap()), Map.class);
    }

    @Test
    void jsonRoundTrip() throws Exception {
        for (ModelMetadata m : List.of(implicitModel(), explicitModel())) {
            ModelMetadata back = ModelMetadata.fromMap(m.documentId(), throughJson(m));
            assertEquals(m.interactions(), back.interactions());
            assertEquals(m.training(), back.training());
            assertEquals(m.explicit(), back.explicit());
            assertEquals(m.popularItems(), back.popularItems());
            assertEquals(m.vectorDims(), back.vectorDims());
            if (m.implicit() != null) {
                assertArrayEquals(m.implicit().gram(), back.implicit().gram());
                assertEquals(m.implicit().confidence(), back.implicit().confidence());
                assertEquals(m.implicit().rendle(), back.implicit().rendle());
                assertEquals(m.implicitItemSide().items(), back.implicitItemSide().items());
            }
            assertEquals(m.toMap().keySet(), back.toMap().keySet());
        }
    }

    @Test
    void everyMissingRequiredFieldIsNamed() throws Exception {
        for (ModelMetadata m : List.of(implicitModel(), explicitModel())) {
            for (String path : leafPaths(m.toMap(), "")) {
                if (optional(path)) {
                    continue;
                }
                Map<String, Object> doc = throughJson(m);
                remove(doc, path);
                MetadataException e = assertThrows(MetadataException.class, () -> ModelMetadata.fromMap(m.documentId(), doc), path);
                assertEquals(path, e.field(), e.getMessage());
                assertTrue(e.getMessage().contains("[" + path + "]"), e.getMessage());
            }
        }
    }

    /**
     * Only the inside of free-form maps may be left out: every declared key is always written (unset values as null), so a view
     * of the document with fields filtered away, as field-level security returns it, is refused instead of misread.
     */
    private static boolean optional(String path) {
        return path.startsWith("interactions.weights.") || path.startsWith("training.details.");
    }

    @Test
    void undeclaredFieldsAndWrongSchemaAreRefused() throws Exception {
        ModelMetadata m = implicitModel();
        Map<String, Object> doc = throughJson(m);
        doc.put("seen_values", 1);
        MetadataException e = assertThrows(MetadataException.class, () -> ModelMetadata.fromMap(m.documentId(), doc));
        assertTrue(e.getMessage().contains("[seen_values]"), e.getMessage());
        Map<String, Object> old = throughJson(m);
        old.put("schema_version", 1);
        e = assertThrows(MetadataException.class, () -> ModelMetadata.fromMap(m.documentId(), old));
        assertEquals("schema_version", e.field());
        Map<String, Object> wrongDims = throughJson(m);
        wrongDims.put("vector_dims", 3);
        e = assertThrows(MetadataException.class, () -> ModelMetadata.fromMap(m.documentId(), wrongDims));
        assertEquals("vector_dims", e.field());
        assertThrows(MetadataException.class, () -> ModelMetadata.fromMap("retail-v4", throughJson(m)));
    }

    @Test
    void strictMappingDeclaresEveryWrittenField() throws Exception {
        JsonNode properties = JSON.readTree(ModelIndices.template("model-metadata.json")).path("mappings").path("properties");
        assertEquals("strict", JSON.readTree(ModelIndices.template("model-metadata.json")).path("mappings").path("dynamic").asText());
        for (ModelMetadata m : List.of(implicitModel(), explicitModel())) {
            for (String path : leafPaths(m.toMap(), "")) {
                JsonNode node = properties;
                String[] parts = path.split("\\.");
                for (int i = 0; i < parts.length; i++) {
                    JsonNode field = node.path(parts[i]);
                    assertTrue(field.isObject(), "the metadata mapping does not declare [" + path + "]");
                    if (field.path("enabled").asBoolean(true) == false) {
                        break; // a free-form object: anything below is kept in _source only
                    }
                    node = field.path("properties");
                    if (i < parts.length - 1) {
                        assertTrue(node.isObject(), "[" + path + "]: [" + parts[i] + "] is not mapped as an object");
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> leafPaths(Map<String, Object> map, String prefix) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String path = prefix + e.getKey();
            if (e.getValue() instanceof Map<?, ?> nested && nested.isEmpty() == false) {
                out.add(path);
                out.addAll(leafPaths((Map<String, Object>) nested, path + "."));
            } else {
                out.add(path);
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void remove(Map<String, Object> doc, String path) {
        String[] parts = path.split("\\.");
        Map<String, Object> m = doc;
        for (int i = 0; i < parts.length - 1; i++) {
            m = (Map<String, Object>) m.get(parts[i]);
        }
        m.remove(parts[parts.length - 1]);
    }
}
