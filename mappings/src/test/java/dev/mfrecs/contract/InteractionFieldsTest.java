package dev.mfrecs.contract;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recipe the trainer writes into model metadata is read back identically by the plugin's side, including through a JSON
 * round trip's number types; a missing required key is an error that names it, never a default.
 */
class InteractionFieldsTest {

    private static final InteractionFields FIELDS = new InteractionFields("shop-events", "customer", "sku", "kind", "qty", "ts",
        Map.of("view", 1f, "purchase", 4.5f), 30.0);

    @Test
    void metadataRoundTripThroughJsonNumberTypes() {
        InteractionRecipe written = new InteractionRecipe(FIELDS, DuplicatePolicy.SUM, 2f, "{\"term\":{\"shop\":\"eu\"}}", 1_000L,
            5_000L, 4_000L);
        Map<String, Object> stored = new HashMap<>(written.toMap());
        // What a JSON parser hands back: doubles for the weights, ints for small longs.
        stored.put("weights", Map.of("view", 1.0, "purchase", 4.5));
        stored.put("half_life_days", 30);
        stored.put("from", 1000);
        assertEquals(written, InteractionRecipe.fromMap("m-v1", stored));
        assertEquals(written.weight("purchase", 2, 0L), InteractionRecipe.fromMap("m-v1", stored).weight("purchase", 2, 0L));
    }

    @Test
    void missingRequiredKeyIsAnErrorNamingIt() {
        Map<String, Object> stored = new HashMap<>(InteractionRecipe.implicitEvents(FIELDS, 1L).toMap());
        stored.remove("user_field");
        MetadataException e = assertThrows(MetadataException.class, () -> InteractionRecipe.fromMap("m-v1", stored));
        assertEquals("user_field", e.field());
        assertTrue(e.getMessage().contains("[m-v1]") && e.getMessage().contains("[user_field]"), e.getMessage());
    }

    @Test
    void undeclaredKeyIsRejected() {
        Map<String, Object> stored = new HashMap<>(InteractionRecipe.implicitEvents(FIELDS, 1L).toMap());
        stored.put("min_value", 3);
        MetadataException e = assertThrows(MetadataException.class, () -> InteractionRecipe.fromMap("m-v1", stored));
        assertTrue(e.getMessage().contains("[min_value]"), e.getMessage());
    }

    @Test
    void decayNeedsAReferenceTime() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new InteractionRecipe(FIELDS, DuplicatePolicy.SUM,
            null, null, null, null, null));
        assertTrue(e.getMessage().contains("decay_reference"), e.getMessage());
    }
}
