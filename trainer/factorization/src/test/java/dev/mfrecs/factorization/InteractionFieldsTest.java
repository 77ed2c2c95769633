package dev.mfrecs.factorization;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The recipe the trainer writes into model metadata is read back identically by the plugin's side, including through a
 * JSON round trip's number types, and missing keys take the defaults.
 */
class InteractionFieldsTest {

    @Test
    void metadataRoundTrip() {
        InteractionFields written = new InteractionFields("shop-events", "customer", "sku", "kind", "qty", "ts",
            Map.of("view", 1f, "purchase", 4.5f), 30.0);
        Map<String, Object> stored = new HashMap<>(written.toMetadata());
        // What a JSON parser hands back: doubles for the weights and the half-life.
        stored.put("weights", Map.of("view", 1.0, "purchase", 4.5));
        stored.put("half_life_days", 30);
        assertEquals(written, InteractionFields.fromMetadata(stored));
        assertEquals(written.eventWeights().weight("purchase", 2, 0), InteractionFields.fromMetadata(stored).eventWeights()
            .weight("purchase", 2, 0));
    }

    @Test
    void missingKeysTakeTheDefaults() {
        InteractionFields read = InteractionFields.fromMetadata(Map.of("index", "events"));
        assertEquals(InteractionFields.defaults("events"), read);
        assertNull(read.valueField());
        assertEquals(0, read.halfLifeDays());
    }
}
