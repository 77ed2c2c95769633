package dev.mfrecs.devkit.replay;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.trainer.es.RestJson;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The replay's metrics: binary NDCG@10 as the evaluation module defines it, and the intra-list similarity of a search response. */
class SearchReplayTests {

    @Test
    void ndcgAt10() {
        assertEquals(1.0, SearchReplay.ndcg10(List.of("a", "b", "c"), Set.of("a")), 1e-12);
        assertEquals(1 / (Math.log(3) / Math.log(2)), SearchReplay.ndcg10(List.of("x", "a"), Set.of("a")), 1e-12);
        // two relevant, one found at rank 1: 1 / (1 + 1/log2(3))
        assertEquals(1 / (1 + Math.log(2) / Math.log(3)), SearchReplay.ndcg10(List.of("a", "x"), Set.of("a", "b")), 1e-12);
        assertEquals(0.0, SearchReplay.ndcg10(List.of("x", "y", "z", "w", "v", "u", "t", "s", "r", "q", "a"), Set.of("a")), 1e-12);
    }

    @Test
    void meanPairwiseCosineOfDocValueVectors() throws Exception {
        JsonNode r = RestJson.JSON.readTree("{\"hits\": {\"hits\": [{\"fields\": {\"vector\": [1, 0]}}, "
            + "{\"fields\": {\"vector\": [0, 2]}}, {\"fields\": {\"vector\": [3, 3]}}]}}");
        double c = Math.sqrt(0.5);
        assertEquals((0 + c + c) / 3, SearchReplay.meanPairwiseCosine(r), 1e-6);
    }
}
