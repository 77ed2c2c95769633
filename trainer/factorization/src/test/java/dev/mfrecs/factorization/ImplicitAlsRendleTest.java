package dev.mfrecs.factorization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Checks the Rendle et al. 2021 options of implicit ALS (unobserved weight {@code alpha0}, frequency-scaled regularization
 * {@code nu}): the row system against a brute-force dense solve of the objective, a monotone objective, fold-in consistency,
 * recommendation quality, thread-count independence and validation.
 */
class ImplicitAlsRendleTest {

    private static final SyntheticData.ImplicitSplit DATA = SyntheticData.implicitLowRank(300, 200, 5, 0.1, 0.2, 1234);

    private static ImplicitAlsParams params(Solver solver, int iterations, int threads, float alpha0, float nu) {
        return new ImplicitAlsParams(8, iterations, 0.1f, Confidence.linear(2f), solver, 3, 99L, threads,
            new ImplicitAlsParams.Rendle(alpha0, nu));
    }

    @Test
    void choleskyRowIsTheMinimizerOfTheDenseObjective() {
        // weights c_ui on observed pairs and alpha0 on every other pair, lambda_u = lambda (|I_u| + alpha0 |I|)^nu: solve the
        // normal equations of that objective over all 200 items directly and compare with the Gram-trick row kernel
        float alpha0 = 0.3f;
        float nu = 0.7f;
        ImplicitAlsParams p = params(Solver.CHOLESKY, 2, 1, alpha0, nu);
        CsrMatrix ui = DATA.train();
        FactorModel model = ImplicitAls.train(ui, p, TrainingListener.NONE);
        float[] users = model.userFactors().clone();
        ImplicitAls.halfSweep(ui, model.itemFactors(), model.items(), users, p);
        int d = model.factors();
        float[] ys = model.itemFactors();
        for (int u = 0; u < 40; u += 3) {
            double[] weights = new double[model.items()];
            Arrays.fill(weights, alpha0);
            double[] rhs = new double[d];
            int observed = 0;
            for (int q = ui.indptr()[u]; q < ui.indptr()[u + 1]; q++) {
                int i = ui.indices()[q];
                double c = p.confidence().of(ui.values()[q]);
                weights[i] = c;
                observed++;
                for (int a = 0; a < d; a++) {
                    rhs[a] += c * ys[i * d + a];
                }
            }
            double lambda = 0.1f * Math.pow(observed + (double) alpha0 * model.items(), nu);
            double[][] m = new double[d][d];
            for (int i = 0; i < model.items(); i++) {
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        m[a][b] += weights[i] * ys[i * d + a] * ys[i * d + b];
                    }
                }
            }
            for (int a = 0; a < d; a++) {
                m[a][a] += lambda;
            }
            double[] expected = gaussianElimination(m, rhs);
            for (int a = 0; a < d; a++) {
                assertEquals(expected[a], users[u * d + a], 1e-4 * Math.max(1, Math.abs(expected[a])), "user " + u + " component " + a);
            }
        }
    }

    @Test
    void objectiveDoesNotIncreaseForBothSolvers() {
        for (Solver solver : Solver.values()) {
            for (float[] option : new float[][] { { 0.25f, 0.5f }, { 2f, 0.5f } }) {
                ImplicitAlsParams p = params(solver, 0, 2, option[0], option[1]);
                CsrMatrix ui = DATA.train();
                CsrMatrix iu = ui.transpose();
                FactorModel model = ImplicitAls.initialize(ui, p);
                double previous = ImplicitAls.loss(ui, model, p.regularization(), p.confidence(), p.rendle());
                double first = previous;
                for (int it = 1; it <= 10; it++) {
                    ImplicitAls.iterate(ui, iu, model, p);
                    double loss = ImplicitAls.loss(ui, model, p.regularization(), p.confidence(), p.rendle());
                    assertTrue(loss < previous * (1 + 1e-7), solver + " " + p.rendle() + " iteration " + it + ": loss " + loss
                        + " did not decrease from " + previous);
                    previous = loss;
                }
                assertTrue(previous < 0.8 * first, solver + " " + p.rendle() + ": final loss " + previous + " vs initial " + first);
            }
        }
    }

    @Test
    void lossWithoutRendleOptionsEqualsClassicLoss() {
        ImplicitAlsParams p = params(Solver.CG, 3, 1, 1f, 0f);
        FactorModel model = ImplicitAls.train(DATA.train(), p, TrainingListener.NONE);
        double classic = ImplicitAls.loss(DATA.train(), model, 0.1f, p.confidence());
        double none = ImplicitAls.loss(DATA.train(), model, 0.1f, p.confidence(), ImplicitAlsParams.Rendle.NONE);
        double scaled = ImplicitAls.loss(DATA.train(), model, 0.1f, p.confidence(), new ImplicitAlsParams.Rendle(2f, 0f));
        assertEquals(classic, none, 0.0);
        assertTrue(scaled > classic, "doubling the unobserved weight must raise the loss: " + scaled + " vs " + classic);
    }

    @Test
    void defaultOptionsReproduceTheEightArgumentParameters() {
        for (Solver solver : Solver.values()) {
            ImplicitAlsParams classic = new ImplicitAlsParams(8, 3, 0.1f, Confidence.linear(2f), solver, 3, 99L, 2);
            assertEquals(ImplicitAlsParams.Rendle.NONE, classic.rendle());
            FactorModel a = ImplicitAls.train(DATA.train(), classic, TrainingListener.NONE);
            FactorModel b = ImplicitAls.train(DATA.train(), params(solver, 3, 2, 1f, 0f), TrainingListener.NONE);
            assertArrayEquals(a.userFactors(), b.userFactors());
            FactorModel c = ImplicitAls.train(DATA.train(), params(solver, 3, 2, 0.5f, 0f), TrainingListener.NONE);
            assertTrue(Arrays.equals(a.userFactors(), c.userFactors()) == false, "alpha0 must matter");
            FactorModel e = ImplicitAls.train(DATA.train(), params(solver, 3, 2, 1f, 0.5f), TrainingListener.NONE);
            assertTrue(Arrays.equals(a.userFactors(), e.userFactors()) == false, "nu must matter");
        }
    }

    @Test
    void foldInEqualsFinalTrainingSolve() {
        ImplicitAlsParams p = new ImplicitAlsParams(6, 5, 0.05f, Confidence.log(3f, 0.5f), Solver.CHOLESKY, 3, 5L, 2,
            new ImplicitAlsParams.Rendle(0.2f, 0.8f));
        CsrMatrix ui = DATA.train();
        FactorModel model = ImplicitAls.train(ui, p, TrainingListener.NONE);
        ImplicitAls.halfSweep(ui, model.itemFactors(), model.items(), model.userFactors(), p);
        int d = model.factors();
        float[] gram = Gram.compute(model.itemFactors(), model.items(), d);
        ImplicitFoldIn foldIn = new ImplicitFoldIn(d);
        float[] out = new float[d];
        float[] classic = new float[d];
        int checked = 0;
        double maxClassicGap = 0;
        for (int u = 0; u < model.users(); u += 7) {
            int from = ui.indptr()[u];
            int k = ui.indptr()[u + 1] - from;
            float[] history = new float[k * d];
            for (int j = 0; j < k; j++) {
                System.arraycopy(model.itemFactors(), ui.indices()[from + j] * d, history, j * d, d);
            }
            float[] values = Arrays.copyOfRange(ui.values(), from, from + k);
            foldIn.foldIn(gram, p.regularization(), p.confidence(), p.rendle(), model.items(), history, values, k, out);
            double norm = Math.sqrt(Vectors.squaredNorm(model.userFactors(), u * d, d));
            for (int j = 0; j < d; j++) {
                assertEquals(model.userFactors()[u * d + j], out[j], 1e-4 * Math.max(1, norm), "user " + u + " component " + j);
            }
            foldIn.foldIn(gram, p.regularization(), p.confidence(), history, values, k, classic);
            for (int j = 0; j < d; j++) {
                maxClassicGap = Math.max(maxClassicGap, Math.abs(classic[j] - out[j]));
            }
            if (k > 0) {
                float[] item = Arrays.copyOfRange(model.itemFactors(), 0, d);
                float[] contributions = new float[k];
                float score = foldIn.explain(gram, p.regularization(), p.confidence(), p.rendle(), model.items(), history, values, k,
                    item, contributions);
                double sum = 0;
                for (float c : contributions) {
                    sum += c;
                }
                assertEquals(Vectors.dot(out, 0, item, 0, d), score, 1e-4, "explained score of user " + u);
                assertEquals(score, sum, 1e-4, "contributions of user " + u);
                checked++;
            }
        }
        assertTrue(checked > 10);
        assertTrue(maxClassicGap > 1e-3, "the overload without options must solve the classic system: gap " + maxClassicGap);
    }

    @Test
    void recommendationsStayFarAboveRandom() {
        for (Solver solver : Solver.values()) {
            ImplicitAlsParams p = params(solver, 10, 2, 0.5f, 0.5f);
            FactorModel model = ImplicitAls.train(DATA.train(), p, TrainingListener.NONE);
            SyntheticData.HeldOutRecall r = DATA.recallAt10(model);
            assertTrue(r.evaluated() > 100, "too few evaluable users: " + r.evaluated());
            assertTrue(r.recall() > 3 * r.random(), solver + ": recall@10 " + r.recall() + " vs random " + r.random());
        }
    }

    @Test
    void resultsDoNotDependOnThreadCount() {
        for (Solver solver : Solver.values()) {
            FactorModel one = ImplicitAls.train(DATA.train(), params(solver, 3, 1, 0.4f, 0.6f), TrainingListener.NONE);
            FactorModel three = ImplicitAls.train(DATA.train(), params(solver, 3, 3, 0.4f, 0.6f), TrainingListener.NONE);
            assertArrayEquals(one.userFactors(), three.userFactors(), solver.name());
            assertArrayEquals(one.itemFactors(), three.itemFactors(), solver.name());
        }
    }

    @Test
    void optionsValidateNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ImplicitAlsParams.Rendle(-1f, 0f));
        assertTrue(e.getMessage().contains("[alpha0]") && e.getMessage().contains("[-1.0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ImplicitAlsParams.Rendle(1f, Float.NaN));
        assertTrue(e.getMessage().contains("[nu]") && e.getMessage().contains("[NaN]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
            () -> new ImplicitAlsParams(4, 1, 0.1f, Confidence.linear(1f), Solver.CG, 3, 1L, 1, null));
        assertTrue(e.getMessage().contains("[rendle]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ImplicitFoldIn(2).foldIn(new float[4], 0.1f, Confidence.linear(1f),
            ImplicitAlsParams.Rendle.NONE, -3, new float[2], new float[] { 1f }, 1, new float[2]));
        assertTrue(e.getMessage().contains("[items]") && e.getMessage().contains("[-3]"), e.getMessage());
        ImplicitAlsParams.Rendle r = new ImplicitAlsParams.Rendle(0.5f, 1f);
        assertEquals(0.1f * (10 + 0.5 * 100), r.regularization(0.1f, 10, 100), 1e-6);
        assertEquals(0.1f, ImplicitAlsParams.Rendle.NONE.regularization(0.1f, 10, 100), 0.0);
        assertEquals(r, ImplicitAlsParams.defaults(4).withRendle(0.5f, 1f).rendle());
    }

    private static double[] gaussianElimination(double[][] m, double[] rhs) {
        int n = rhs.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = Arrays.copyOf(m[i], n + 1);
            a[i][n] = rhs[i];
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int i = col + 1; i < n; i++) {
                if (Math.abs(a[i][col]) > Math.abs(a[pivot][col])) {
                    pivot = i;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (int i = col + 1; i < n; i++) {
                double f = a[i][col] / a[col][col];
                for (int k = col; k <= n; k++) {
                    a[i][k] -= f * a[col][k];
                }
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = a[i][n];
            for (int k = i + 1; k < n; k++) {
                s -= a[i][k] * x[k];
            }
            x[i] = s / a[i][i];
        }
        return x;
    }
}
