package dev.mfrecs.trainer.settings;

import dev.mfrecs.factorization.ConfidenceKind;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.trainer.train.Algorithm;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The defaults table, the per-algorithm types built from it, and the errors every path shares. */
class AlgorithmSettingsTest {

    @Test
    void everyAlgorithmHasAColumnAndItsDefaultsBuildItsType() {
        assertEquals(Algorithm.values().length, AlgorithmSettings.DEFAULTS.size());
        for (Algorithm a : Algorithm.values()) {
            AlgorithmSettings s = AlgorithmSettings.defaults(a, 7L, 3);
            assertEquals(a, s.algorithm());
            assertEquals(7L, s.seed());
            assertEquals(3, s.threads());
            List<String> names = AlgorithmSettings.DEFAULTS.get(a).keySet().stream().map(Hyperparameter::cliName).toList();
            assertEquals(names, List.copyOf(s.values().keySet()), a + ": values() lists the table's rows in order");
            for (var e : AlgorithmSettings.DEFAULTS.get(a).entrySet()) {
                assertEquals(e.getKey().parse(e.getValue(), "x"), s.values().get(e.getKey().cliName()), a + " " + e.getKey());
            }
        }
        assertInstanceOf(AlgorithmSettings.Ials.class, AlgorithmSettings.defaults(Algorithm.IALS, 1, 1));
        assertInstanceOf(AlgorithmSettings.Funk.class, AlgorithmSettings.defaults(Algorithm.FUNK, 1, 1));
    }

    @Test
    void givenValuesOverrideTheDefaultsAndReachTheLibraryParameters() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("factors", "512");
        given.put("confidence", "LOG");
        given.put("solver", "cholesky");
        given.put("alpha0", "0.003");
        given.put("nu", "1");
        ImplicitAlsParams p = ((AlgorithmSettings.Ials) AlgorithmSettings.of(Algorithm.IALS, given, 5L, 2, n -> "--" + n)).params();
        assertEquals(512, p.factors());
        assertEquals(ConfidenceKind.LOG, p.confidence().kind());
        assertEquals(Solver.CHOLESKY, p.solver());
        assertEquals(new ImplicitAlsParams.Rendle(0.003f, 1f), p.rendle());
        AlgorithmSettings defaults = AlgorithmSettings.defaults(Algorithm.IALS, 5L, 2);
        assertEquals(defaults.values().get("iterations"), p.iterations(), "what is not given keeps its default");
    }

    @Test
    void valuesRoundTripSoABestFileReproducesTheSettings() {
        for (Algorithm a : Algorithm.values()) {
            Map<String, String> given = new LinkedHashMap<>();
            AlgorithmSettings.defaults(a, 1, 1).values().forEach((k, v) -> given.put(k, String.valueOf(v)));
            given.put("factors", "17");
            AlgorithmSettings s = AlgorithmSettings.of(a, given, 1, 1, n -> n);
            Map<String, String> again = new LinkedHashMap<>();
            s.values().forEach((k, v) -> again.put(k, String.valueOf(v)));
            assertEquals(s, AlgorithmSettings.of(a, again, 1, 1, n -> n), a.cliName());
            assertEquals(17, s.factors());
            assertNotEquals(AlgorithmSettings.defaults(a, 1, 1), s);
        }
    }

    @Test
    void unusedUnknownAndBadParametersNameTheOption() {
        var unused = assertThrows(IllegalArgumentException.class, () -> AlgorithmSettings.of(Algorithm.SVD, Map.of("regularization", "1"),
            1, 1, n -> "--param " + n));
        assertEquals("[--param regularization] is not used by algorithm [svd] (only by [ials, als, funk])", unused.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> AlgorithmSettings.of(Algorithm.IALS, Map.of("depth", "3"), 1, 1,
            n -> "--" + n));
        assertTrue(unknown.getMessage().startsWith("[--depth] is not a hyper-parameter of any algorithm"), unknown.getMessage());
        var zero = assertThrows(IllegalArgumentException.class, () -> AlgorithmSettings.of(Algorithm.FUNK, Map.of("learning-rate", "0"), 1,
            1, n -> "--" + n));
        assertEquals("[--learning-rate] must be > 0 (was [0])", zero.getMessage());
        var word = assertThrows(IllegalArgumentException.class, () -> AlgorithmSettings.of(Algorithm.ALS, Map.of("iterations", "many"), 1,
            1, n -> "--" + n));
        assertEquals("[--iterations] must be a number (was [many])", word.getMessage());
    }

    @Test
    void theDescriptionListsEachAlgorithmsDefault() {
        for (Hyperparameter h : Hyperparameter.values()) {
            String text = AlgorithmSettings.describe(h);
            assertTrue(text.startsWith(h.meaning()), text);
            for (Algorithm a : Algorithm.values()) {
                String d = AlgorithmSettings.DEFAULTS.get(a).get(h);
                if (d != null) {
                    assertTrue(text.contains(d), a + " " + h + ": " + text);
                }
            }
            boolean everywhere = AlgorithmSettings.users(h).size() == Algorithm.values().length;
            assertEquals(everywhere, text.contains("rejected for the others") == false, text);
        }
    }
}
