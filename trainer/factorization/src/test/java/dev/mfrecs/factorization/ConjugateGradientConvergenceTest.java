package dev.mfrecs.factorization;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conjugate gradient solves the same row systems as the exact Cholesky solve: from a cold start, its distance to the
 * exact half-sweep shrinks as steps grow and vanishes (to float precision) once the steps reach the dimension.
 */
class ConjugateGradientConvergenceTest {

    @Test
    void cgApproachesCholeskyAsStepsGrow() {
        int users = 120;
        int items = 90;
        int d = 8;
        SplittableRandom random = new SplittableRandom(17);
        int[] rows = new int[users * 12];
        int[] cols = new int[rows.length];
        float[] vals = new float[rows.length];
        for (int n = 0; n < rows.length; n++) {
            rows[n] = n / 12;
            cols[n] = random.nextInt(items);
            vals[n] = 1 + random.nextInt(5);
        }
        CsrMatrix m = CsrMatrix.fromTriplets(users, items, rows, cols, vals, rows.length);
        float[] fixed = new float[items * d];
        for (int k = 0; k < fixed.length; k++) {
            fixed[k] = (float) (random.nextGaussian() * 0.3);
        }
        ImplicitAlsParams exact = new ImplicitAlsParams(d, 1, 0.1f, Confidence.linear(4f), Solver.CHOLESKY, 3, 1L, 2);
        float[] reference = new float[users * d];
        ImplicitAls.halfSweep(m, fixed, items, reference, exact);
        double previous = Double.MAX_VALUE;
        double norm = squaredNorm(reference);
        for (int steps : new int[] { 1, 2, 4, 8, 16 }) {
            float[] solved = new float[users * d];
            ImplicitAls.halfSweep(m, fixed, items, solved,
                new ImplicitAlsParams(d, 1, 0.1f, Confidence.linear(4f), Solver.CG, steps, 1L, 2));
            double error = 0;
            for (int k = 0; k < solved.length; k++) {
                error += (solved[k] - reference[k]) * (double) (solved[k] - reference[k]);
            }
            double relative = Math.sqrt(error / norm);
            // Strictly shrinking until it reaches float precision (CG is exact after d steps in exact arithmetic).
            assertTrue(relative < previous || relative < 1e-6, "CG with " + steps + " steps: relative error " + relative
                + " did not shrink from " + previous);
            if (steps == 1) {
                assertTrue(relative > 1e-3, "one CG step from zero should not already be exact: " + relative);
            }
            previous = relative;
        }
        assertTrue(previous < 1e-3, "CG with 16 steps (d = 8) should match Cholesky, relative error " + previous);
    }

    private static double squaredNorm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x * (double) x;
        }
        return s;
    }
}
