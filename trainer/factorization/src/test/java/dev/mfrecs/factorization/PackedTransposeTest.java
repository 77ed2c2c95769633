package dev.mfrecs.factorization;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The packed transpose holds the same entries as {@link CsrMatrix#transpose()}, and refuses values that do not fit its bits. */
class PackedTransposeTest {

    private static CsrMatrix random(int rows, int cols, int nnz, int distinct, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] ri = new int[nnz];
        int[] ci = new int[nnz];
        float[] v = new float[nnz];
        for (int p = 0; p < nnz; p++) {
            ri[p] = r.nextInt(rows);
            ci[p] = r.nextInt(cols);
            v[p] = r.nextInt(distinct) - 1.5f; // negative, zero-crossing and positive values; duplicates are summed
        }
        return CsrMatrix.fromTriplets(rows, cols, ri, ci, v, nnz);
    }

    @Test
    void decodesToTheTranspose() {
        CsrMatrix m = random(3000, 700, 40_000, 6, 1);
        CsrMatrix t = m.transpose();
        PackedTranspose p = PackedTranspose.of(m);
        assertNotNull(p);
        assertEquals(t.rows(), p.rows());
        assertEquals(t.cols(), p.cols());
        assertArrayEquals(t.indptr(), p.indptr());
        assertEquals(32 - 12, p.codeBits(), "3000 rows take 12 bits");
        int mask = (1 << p.codeBits()) - 1;
        int[] columns = new int[t.nnz()];
        float[] values = new float[t.nnz()];
        for (int q = 0; q < t.nnz(); q++) {
            columns[q] = p.entries()[q] >>> p.codeBits();
            values[q] = p.dictionary()[p.entries()[q] & mask];
        }
        assertArrayEquals(t.indices(), columns);
        assertArrayEquals(t.values(), values);
    }

    @Test
    void usesTheSignBitForColumnsAndRefusesTooManyValues() {
        // 2^20 + 1 rows need 21 bits: the top column number sets the sign bit, 11 bits are left for 2048 values
        int rows = (1 << 20) + 1;
        int[] indptr = new int[rows + 1];
        indptr[rows] = 2;
        indptr[rows - 1] = 1;
        for (int r = 1; r < rows - 1; r++) {
            indptr[r] = 1;
        }
        CsrMatrix edge = CsrMatrix.of(rows, 2, indptr, new int[] {1, 1}, new float[] {4f, 2f});
        PackedTranspose p = PackedTranspose.of(edge);
        assertNotNull(p);
        assertEquals(11, p.codeBits());
        int top = p.entries()[1];
        assertEquals(rows - 1, top >>> 11);
        assertEquals(2f, p.dictionary()[top & 2047]);
        assertNull(PackedTranspose.of(random(rows, 5, 6000, 5000, 2)), "about 3,500 distinct values in 11 bits");
    }

    @Test
    void conjugateGradientTrainingIsTheSameOnThePackedTranspose() {
        CsrMatrix m = random(400, 150, 6000, 5, 3);
        ImplicitAlsParams p = new ImplicitAlsParams(24, 3, 0.1f, Confidence.linear(4f), Solver.CG, 3, 9L, 2);
        assertNotNull(PackedTranspose.of(m));
        FactorModel trained = ImplicitAls.train(m, p, TrainingListener.NONE);
        FactorModel manual = ImplicitAls.initialize(m, p);
        CsrMatrix t = m.transpose();
        for (int it = 0; it < 3; it++) {
            ImplicitAls.iterate(m, t, manual, p);
        }
        assertArrayEquals(manual.userFactors(), trained.userFactors());
        assertArrayEquals(manual.itemFactors(), trained.itemFactors());
    }
}
