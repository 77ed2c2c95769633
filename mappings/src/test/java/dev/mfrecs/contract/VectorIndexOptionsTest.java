package dev.mfrecs.contract;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The index-options spec reads into the mapping Elasticsearch 9.1 takes, prints back as itself, and rejects what ES would. */
class VectorIndexOptionsTest {

    @Test
    void specBecomesTheDenseVectorIndexOptions() {
        VectorIndexOptions o = VectorIndexOptions.parse("int8_hnsw:m=24:ef_construction=150:oversample=2.5");
        assertEquals(Map.of("type", "int8_hnsw", "m", 24, "ef_construction", 150, "rescore_vector", Map.of("oversample", 2.5f)),
            o.toMapping());
        assertEquals("int8_hnsw:m=24:ef_construction=150:oversample=2.5", o.toString());
        assertEquals(o, VectorIndexOptions.parse(o.toString()));
        VectorIndexOptions plain = VectorIndexOptions.parse("hnsw");
        assertEquals(Map.of("type", "hnsw", "m", 16, "ef_construction", 100), plain.toMapping(), "Elasticsearch's own defaults");
        assertFalse(plain.toMapping().containsKey("rescore_vector"));
        assertEquals("bbq_hnsw:m=16:ef_construction=200:oversample=3", VectorIndexOptions.parse("bbq_hnsw:ef_construction=200:oversample=3")
            .toString());
    }

    @Test
    void badSpecsNameTheBadPart() {
        assertMessage("ivf_hnsw", "index type [ivf_hnsw]");
        assertMessage("", "must not be empty");
        assertMessage("hnsw:m=1", "[m] must be in [2, 512]");
        assertMessage("hnsw:m=600", "[m] must be in [2, 512]");
        assertMessage("hnsw:m=32:ef_construction=16", "[ef_construction] must be in [m, 3200]");
        assertMessage("hnsw:ef_construction=5000", "[ef_construction] must be in [m, 3200]");
        assertMessage("hnsw:oversample=3", "[oversample] applies to a quantized type");
        assertMessage("int8_hnsw:oversample=0.5", "[oversample] must be in [1, 10]");
        assertMessage("int8_hnsw:oversample=NaN", "[oversample] must be in [1, 10]");
        assertMessage("int8_hnsw:m=sixteen", "[m] in index options [int8_hnsw:m=sixteen] is not a number");
        assertMessage("hnsw:M=16", "unknown key [M]");
        assertMessage("hnsw:16", "[16] in index options [hnsw:16] is not key=value");
    }

    private static void assertMessage(String spec, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VectorIndexOptions.parse(spec), spec);
        assertTrue(e.getMessage().contains(expected), spec + ": " + e.getMessage());
    }
}
