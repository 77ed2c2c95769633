package dev.mfrecs.factorization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Checks implicit ALS: monotone objective for both solvers, recommendation quality, determinism, edge cases. */
class ImplicitAlsTest {

    private static final SyntheticData.ImplicitSplit DATA = SyntheticData.implicitLowRank(300, 200, 5, 0.1, 0.2, 1234);

    private static ImplicitAlsParams params(Solver solver, int iterations, int threads) {
        return new ImplicitAlsParams(8, iterations, 0.1f, Confidence.linear(2f), solver, 3, 99L, threads);
    }

    @Test
    void choleskyReducesObjectiveEveryIteration() {
        assertObjectiveDecreases(Solver.CHOLESKY);
    }

    @Test
    void conjugateGradientReducesObjectiveEveryIteration() {
        assertObjectiveDecreases(Solver.CG);
    }

    private static void assertObjectiveDecreases(Solver solver) {
        ImplicitAlsParams p = params(solver, 0, 2);
        CsrMatrix ui = DATA.train();
        CsrMatrix iu = ui.transpose();
        FactorModel model = ImplicitAls.initialize(ui, p);
        double previous = ImplicitAls.loss(ui, model, p.regularization(), p.confidence());
        double first = previous;
        for (int it = 1; it <= 12; it++) {
            ImplicitAls.iterate(ui, iu, model, p);
            double loss = ImplicitAls.loss(ui, model, p.regularization(), p.confidence());
            assertTrue(loss < previous * (1 + 1e-7), solver + " iteration " + it + ": loss " + loss + " did not decrease from " + previous);
            previous = loss;
        }
        assertTrue(previous < 0.7 * first, solver + ": final loss " + previous + " not well below initial " + first);
    }

    @Test
    void trainEqualsInitializePlusIterations() {
        ImplicitAlsParams p = params(Solver.CG, 3, 2);
        List<Integer> seen = new ArrayList<>();
        FactorModel trained = ImplicitAls.train(DATA.train(), p, (i, n, s) -> {
            assertEquals(3, n);
            assertTrue(s >= 0);
            seen.add(i);
        });
        assertEquals(List.of(1, 2, 3), seen);
        FactorModel manual = ImplicitAls.initialize(DATA.train(), p);
        CsrMatrix iu = DATA.train().transpose();
        for (int it = 0; it < 3; it++) {
            ImplicitAls.iterate(DATA.train(), iu, manual, p);
        }
        assertArrayEquals(manual.userFactors(), trained.userFactors());
        assertArrayEquals(manual.itemFactors(), trained.itemFactors());
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        for (Solver solver : Solver.values()) {
            FactorModel one = ImplicitAls.train(DATA.train(), params(solver, 4, 1), TrainingListener.NONE);
            FactorModel three = ImplicitAls.train(DATA.train(), params(solver, 4, 3), TrainingListener.NONE);
            assertArrayEquals(one.userFactors(), three.userFactors(), solver.name());
            assertArrayEquals(one.itemFactors(), three.itemFactors(), solver.name());
            FactorModel otherSeed = ImplicitAls.train(DATA.train(),
                new ImplicitAlsParams(8, 4, 0.1f, Confidence.linear(2f), solver, 3, 100L, 1), TrainingListener.NONE);
            assertTrue(Arrays.equals(one.userFactors(), otherSeed.userFactors()) == false, "seed must matter");
        }
    }

    @Test
    void resultsDoNotDependOnThreadCountWithSeveralVectorsPerRow() {
        // d = 8 (above) is shorter than one SIMD vector; these run the vector loops, the register-resident sparse passes (d = 64)
        // and the general one (d = 40, padded to 48), and both solvers
        SyntheticData.ImplicitSplit data = SyntheticData.implicitLowRank(300, 260, 6, 0.15, 0.2, 77);
        for (int d : new int[] {40, 64}) {
            for (Solver solver : Solver.values()) {
                ImplicitAlsParams p = new ImplicitAlsParams(d, 3, 0.1f, Confidence.linear(4f), solver, 3, 5L, 1);
                FactorModel one = ImplicitAls.train(data.train(), p, TrainingListener.NONE);
                FactorModel three = ImplicitAls.train(data.train(), p.withThreads(3), TrainingListener.NONE);
                assertArrayEquals(one.userFactors(), three.userFactors(), solver + " d=" + d);
                assertArrayEquals(one.itemFactors(), three.itemFactors(), solver + " d=" + d);
            }
        }
    }

    @Test
    void halfSweepOfRowBlocksWithAPrecomputedGramIsBitIdenticalToTheWholeSweep() {
        // what a distributed engine does: the driver computes the fixed side's Gram once, each partition solves a block of rows
        SyntheticData.ImplicitSplit data = SyntheticData.implicitLowRank(300, 260, 6, 0.15, 0.2, 77);
        CsrMatrix ui = data.train();
        for (int d : new int[] {8, 40}) {
            for (Solver solver : Solver.values()) {
                for (ImplicitAlsParams.Rendle rendle : List.of(ImplicitAlsParams.Rendle.NONE, new ImplicitAlsParams.Rendle(0.3f, 1f))) {
                    ImplicitAlsParams p = new ImplicitAlsParams(d, 0, 0.1f, Confidence.log(3f, 0.5f), solver, 3, 5L, 2, rendle);
                    FactorModel start = ImplicitAls.initialize(ui, p);
                    float[] whole = start.userFactors().clone();
                    ImplicitAls.halfSweep(ui, start.itemFactors(), ui.cols(), whole, p);
                    float[] gram = Gram.compute(start.itemFactors(), ui.cols(), d);
                    float[] blocks = start.userFactors().clone();
                    int[] cuts = {0, 37, 38, 200, ui.rows()};
                    for (int b = 0; b + 1 < cuts.length; b++) {
                        int from = cuts[b];
                        int to = cuts[b + 1];
                        int[] indptr = new int[to - from + 1];
                        for (int r = from; r <= to; r++) {
                            indptr[r - from] = ui.indptr()[r] - ui.indptr()[from];
                        }
                        CsrMatrix block = CsrMatrix.of(to - from, ui.cols(), indptr,
                            Arrays.copyOfRange(ui.indices(), ui.indptr()[from], ui.indptr()[to]),
                            Arrays.copyOfRange(ui.values(), ui.indptr()[from], ui.indptr()[to]));
                        float[] solved = Arrays.copyOfRange(blocks, from * d, to * d);
                        ImplicitAls.halfSweep(block, start.itemFactors(), ui.cols(), solved, p.withThreads(1), gram);
                        System.arraycopy(solved, 0, blocks, from * d, solved.length);
                    }
                    assertTrue(Arrays.equals(whole, start.userFactors()) == false, "the sweep changes the rows");
                    assertArrayEquals(whole, blocks, solver + " d=" + d + " " + rendle);
                }
            }
        }
        ImplicitAlsParams p = params(Solver.CG, 0, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> ImplicitAls.halfSweep(ui, new float[ui.cols() * 8], ui.cols(), new float[ui.rows() * 8], p, new float[63]));
        assertEquals("ImplicitAls.halfSweep: [gram] has length [63] but at least [64] is required", e.getMessage());
    }

    @Test
    void conjugateGradientRowsDoNotDependOnTheirGroupOrOnPacking() {
        CsrMatrix ui = DATA.train();
        int d = 24;
        ImplicitAlsParams p = new ImplicitAlsParams(d, 1, 0.1f, Confidence.linear(4f), Solver.CG, 3, 5L, 1);
        FactorModel model = ImplicitAls.initialize(ui, p);
        float[] fixed = model.itemFactors();
        float[] gram = Gram.compute(fixed, ui.cols(), d);
        int dp = DenseKernels.paddedDimension(d);
        float[] padded = new float[ImplicitRowSolver.gramRows(d) * dp];
        for (int k = 0; k < d; k++) {
            System.arraycopy(gram, k * d, padded, k * dp, d);
        }
        float[] together = model.userFactors().clone();
        float[] alone = model.userFactors().clone();
        float[] streamed = model.userFactors().clone();
        int[] indptr = ui.indptr();
        new ImplicitRowSolver(d).solveConjugateGradientRows(padded, 0.1f, ImplicitAlsParams.Rendle.NONE, ui.cols(), p.confidence(), fixed,
            indptr, ui.indices(), ui.values(), 0, ui.rows(), together, 3);
        ImplicitRowSolver single = new ImplicitRowSolver(d);
        for (int u = ui.rows() - 1; u >= 0; u--) {
            single.solveConjugateGradientRows(padded, 0.1f, ImplicitAlsParams.Rendle.NONE, ui.cols(), p.confidence(), fixed, indptr,
                ui.indices(), ui.values(), u, u + 1, alone, 3);
        }
        // a cap of five entries' vectors: groups of one, rows longer than five entries gathered again in chunks every pass
        new ImplicitRowSolver(d, 5 * dp).solveConjugateGradientRows(padded, 0.1f, ImplicitAlsParams.Rendle.NONE, ui.cols(),
            p.confidence(), fixed, indptr, ui.indices(), ui.values(), 0, ui.rows(), streamed, 3);
        assertArrayEquals(together, alone);
        assertArrayEquals(together, streamed);
        assertTrue(Arrays.equals(together, model.userFactors()) == false, "the rows were solved");
    }

    @Test
    void recommendationsBeatRandomOnHeldOutPositives() {
        for (Solver solver : Solver.values()) {
            FactorModel model = ImplicitAls.train(DATA.train(), params(solver, 10, 2), TrainingListener.NONE);
            SyntheticData.HeldOutRecall r = DATA.recallAt10(model);
            assertTrue(r.evaluated() > 100, "too few evaluable users: " + r.evaluated());
            assertTrue(r.recall() > 3 * r.random(), solver + ": recall@10 " + r.recall() + " vs random " + r.random());
        }
    }

    @Test
    void emptyRowsStayZero() {
        CsrMatrix m = CsrMatrix.fromTriplets(4, 3, new int[] { 0, 1, 3 }, new int[] { 0, 2, 0 }, new float[] { 1f, 2f, -1f }, 3);
        FactorModel model = ImplicitAls.train(m, params(Solver.CG, 3, 1), TrainingListener.NONE);
        for (int u : new int[] { 2, 3 }) {
            for (int j = 0; j < 8; j++) {
                assertEquals(0f, model.userFactors()[u * 8 + j], "user " + u);
            }
        }
        for (int j = 0; j < 8; j++) {
            assertEquals(0f, model.itemFactors()[8 + j], "item 1 has no positive entries");
        }
    }

    @Test
    void singularTrainingRowNamesRow() {
        CsrMatrix m = CsrMatrix.fromTriplets(2, 1, new int[] { 1 }, new int[] { 0 }, new float[] { 1f }, 1);
        ImplicitAlsParams p = new ImplicitAlsParams(3, 2, 0f, Confidence.linear(1f), Solver.CHOLESKY, 3, 1L, 1);
        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class, () -> ImplicitAls.train(m, p, null));
        assertEquals(1, e.row());
        assertTrue(e.getMessage().contains("row [1]") && e.getMessage().contains("[regularization] (was [0.0])"), e.getMessage());
    }

    @Test
    void paramsValidateNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new ImplicitAlsParams(0, 1, 0.1f, Confidence.linear(1f), Solver.CG, 3, 1L, 1));
        assertTrue(e.getMessage().contains("[factors]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> new ImplicitAlsParams(4, 1, Float.NaN, Confidence.linear(1f), Solver.CG, 3, 1L, 1));
        assertTrue(e.getMessage().contains("[regularization]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> new ImplicitAlsParams(4, -1, 0.1f, Confidence.linear(1f), Solver.CG, 3, 1L, 1));
        assertTrue(e.getMessage().contains("[iterations]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> new ImplicitAlsParams(4, 1, 0.1f, Confidence.linear(1f), Solver.CG, 0, 1L, 1));
        assertTrue(e.getMessage().contains("[cgSteps]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> new ImplicitAlsParams(4, 1, 0.1f, Confidence.linear(1f), Solver.CG, 3, 1L, 0));
        assertTrue(e.getMessage().contains("[threads]"), e.getMessage());
        ImplicitAlsParams d = ImplicitAlsParams.defaults(16);
        assertEquals(16, d.factors());
        assertEquals(Solver.CG, d.solver());
        assertTrue(d.threads() > 0);
    }

    @Test
    void confidenceFormulas() {
        assertEquals(1f + 40f * 3f, Confidence.linear(40f).of(3f), 1e-4f);
        assertEquals((float) (1 + 2.0 * Math.log(1 + 3.0 / 0.5)), Confidence.log(2f, 0.5f).of(3f), 1e-5f);
        assertThrows(IllegalArgumentException.class, () -> Confidence.log(1f, 0f));
        assertThrows(IllegalArgumentException.class, () -> Confidence.linear(Float.NaN));
        assertThrows(IllegalArgumentException.class, () -> Confidence.linear(-1f));
    }

    @Test
    void gramMatchesDefinition() {
        float[] y = { 1f, 2f, 3f, -1f, 0.5f, 4f };
        float[] g = Gram.compute(y, 3, 2);
        assertArrayEquals(new float[] { 1 + 9 + 0.25f, 2 - 3 + 2, 2 - 3 + 2, 4 + 1 + 16 }, g, 1e-6f);
    }

    @Test
    void chunkedParallelGramIsBitIdenticalAndMatchesDefinition() {
        int n = 5 * Gram.MIN_CHUNK_ROWS + 7;
        int d = 13;
        SplittableRandom random = new SplittableRandom(3);
        float[] y = new float[n * d];
        for (int j = 0; j < y.length; j++) {
            y[j] = (float) random.nextGaussian();
        }
        float[] one = Gram.compute(y, n, d);
        assertArrayEquals(one, Gram.compute(y, n, d, 2));
        assertArrayEquals(one, Gram.compute(y, n, d, 3));
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double s = 0;
                for (int r = 0; r < n; r++) {
                    s += (double) y[r * d + a] * y[r * d + b];
                }
                assertEquals(s, one[a * d + b], 1e-5 * Math.max(1, Math.abs(s)), "entry " + a + ", " + b);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gram.compute(y, n, d, 0));
        assertTrue(e.getMessage().contains("[threads]") && e.getMessage().contains("[0]"), e.getMessage());
    }
}
