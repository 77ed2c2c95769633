package dev.mfrecs.devkit.bench;

import dev.mfrecs.contract.VectorIndexOptions;
import dev.mfrecs.devkit.cli.DevkitCommand;
import dev.mfrecs.trainer.cli.CommandLines;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bench-sweep's grid: parsed and checked before a node starts, bad options named; recall is the share of the exact top k found. */
class SweepGridTest {

    private static final String[] CONFIGS = {"hnsw:m=16:ef_construction=200", "int8_hnsw:oversample=3"};

    @Test
    void gridParsesConfigurationsAndSortsNumCandidates() {
        SweepGrid g = SweepGrid.of(100_000, new int[] {64, 128}, CONFIGS, new int[] {400, 50, 100}, 100, 400, 2, 200);
        assertEquals(List.of(new VectorIndexOptions("hnsw", 16, 200, null), new VectorIndexOptions("int8_hnsw", 16, 100, 3f)), g.configs());
        assertArrayEquals(new int[] {50, 100, 400}, g.numCandidates());
        assertArrayEquals(new int[] {64, 128}, g.dims());
    }

    @Test
    void badArgumentsNameTheOption() {
        assertRejected("[--items]", () -> SweepGrid.of(10, new int[] {64}, CONFIGS, new int[] {100}, 100, 400, 2, 200));
        assertRejected("[--dims]", () -> SweepGrid.of(100_000, new int[] {0}, CONFIGS, new int[] {100}, 100, 400, 2, 200));
        assertRejected("[--index-options] index type [flat]", () -> SweepGrid.of(100_000, new int[] {64}, new String[] {"flat"},
            new int[] {100}, 100, 400, 2, 200));
        assertRejected("[--index-options] [oversample]", () -> SweepGrid.of(100_000, new int[] {64}, new String[] {"hnsw:oversample=2"},
            new int[] {100}, 100, 400, 2, 200));
        assertRejected("[--num-candidates] must be in [10, 10000], got [5]", () -> SweepGrid.of(100_000, new int[] {64}, CONFIGS,
            new int[] {5, 100}, 100, 400, 2, 200));
        assertRejected("[--num-candidates] lists [100] twice", () -> SweepGrid.of(100_000, new int[] {64}, CONFIGS, new int[] {100, 100},
            100, 400, 2, 200));
        assertRejected("[--baseline-num-candidates] [150]", () -> SweepGrid.of(100_000, new int[] {64}, CONFIGS, new int[] {100, 200},
            150, 400, 2, 200));
        assertRejected("[--queries]", () -> SweepGrid.of(100_000, new int[] {64}, CONFIGS, new int[] {100}, 100, 0, 2, 200));
        assertRejected("[--clients]", () -> SweepGrid.of(100_000, new int[] {64}, CONFIGS, new int[] {100}, 100, 400, 0, 200));
        assertRejected("[--recall-users]", () -> SweepGrid.of(100_000, new int[] {64}, CONFIGS, new int[] {100}, 100, 400, 2, 5000));
    }

    @Test
    void theCommandRejectsABadGridBeforeStartingANode() {
        StringWriter err = new StringWriter();
        CommandLine cli = CommandLines.of(new DevkitCommand());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        // --es at port 9: nothing is contacted when the grid is bad
        int code = cli.execute("bench-sweep", "--es", "http://localhost:9", "--index-options", "hnsw:m=16,bbq_hnsw:m=1");
        assertEquals(CommandLines.EXIT_USAGE, code, err.toString());
        assertTrue(err.toString().contains("[--index-options]") && err.toString().contains("[m]"), err.toString());
    }

    @Test
    void recallIsTheShareOfTheExactTopKReturned() {
        int[] exact = {3, 1, 4, 15, 9, 2, 6, 5, 35, 8};
        assertEquals(1.0, SweepGrid.recall(exact, Set.of("p1", "p2", "p3", "p4", "p5", "p6", "p8", "p9", "p15", "p35")));
        assertEquals(0.7, SweepGrid.recall(exact, Set.of("p1", "p2", "p3", "p4", "p5", "p6", "p8", "p7", "p10", "p11")), 1e-12);
        assertEquals(0.0, SweepGrid.recall(exact, Set.of()));
        assertEquals(0.5, SweepGrid.recall(new int[] {0, 1}, Set.of("p1", "p10")), "ids are whole: p1 is not p10");
        assertThrows(IllegalArgumentException.class, () -> SweepGrid.recall(new int[0], Set.of("p1")));
    }

    private static void assertRejected(String expected, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(expected) || e.getMessage().contains(expected), expected + " / " + e.getMessage());
    }
}
