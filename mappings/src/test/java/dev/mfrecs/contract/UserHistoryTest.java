package dev.mfrecs.contract;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** One user's events aggregate exactly as the trainer's matrix builder aggregates them: weights, decay, duplicates, binarization. */
class UserHistoryTest {

    private static final InteractionFields EVENTS = new InteractionFields("events", "u", "i", "type", null, "ts",
        Map.of("view", 1f, "purchase", 5f, "return", -5f), 0);

    @Test
    void implicitEventsAreWeightedAndSummedAndCancelledPairsDropped() {
        UserHistory h = InteractionRecipe.implicitEvents(EVENTS).newHistory();
        h.addEvent("a", "view", null, null);
        h.addEvent("a", "purchase", null, null);
        h.addEvent("b", "purchase", null, null);
        h.addEvent("b", "return", null, null);
        h.addEvent("c", "unknown-type", null, null);
        assertEquals(Map.of("a", 6f), h.pairs());
        assertEquals(4, h.events());
    }

    @Test
    void ratingsAreAveragedAndBinarized() {
        InteractionFields ratings = new InteractionFields("ratings", "u", "i", "type", "rating", null, Map.of(), 0);
        UserHistory mean = new InteractionRecipe(ratings, DuplicatePolicy.MEAN, null, null, null, null, null).newHistory();
        mean.addEvent("a", null, 5, null);
        mean.addEvent("a", null, 2, null);
        mean.addEvent("b", null, 0, null); // weight 0: not an event, as in training
        assertEquals(Map.of("a", 3.5f), mean.pairs());
        UserHistory binarized = new InteractionRecipe(ratings, DuplicatePolicy.MEAN, 4f, null, null, null, null).newHistory();
        binarized.addEvent("a", null, 5, null);
        binarized.addEvent("a", null, 2, null);
        binarized.addEvent("b", null, 4, null);
        assertEquals(Map.of("b", 1f), binarized.pairs());
    }

    @Test
    void decayCountsFromTheRecordedReferenceNotFromNow() {
        long day = 86_400_000L;
        InteractionFields decaying = new InteractionFields("events", "u", "i", "type", null, "ts", Map.of(), 10);
        InteractionRecipe recipe = new InteractionRecipe(decaying, DuplicatePolicy.SUM, null, null, null, 100 * day, 50 * day);
        UserHistory h = recipe.newHistory();
        h.addEvent("ten-days-before", null, null, 40 * day);
        h.addEvent("at-reference", null, null, 50 * day);
        h.addEvent("after-reference", null, null, 60 * day);
        assertEquals(0.5f, h.pairs().get("ten-days-before"), 1e-6);
        assertEquals(1f, h.pairs().get("at-reference"));
        assertEquals(1f, h.pairs().get("after-reference"));
        assertNull(h.pairs().get("missing"));
    }

    @Test
    void epochMillisDocValuesParse() {
        assertEquals(1_700_000_000_000L, EventTime.millis("1700000000000"));
        assertEquals(1_700_000_000_000L, EventTime.millis("1700000000000.123456"));
        assertEquals(1_700_000_000_000L, EventTime.millis(1_700_000_000_000L));
        assertNull(EventTime.millis(null));
    }
}
