package dev.mfrecs.factorization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Checks CSR construction (duplicate summing, column order, validation) and transpose against a dense reference. */
class CsrMatrixTest {

    @Test
    void fromTripletsSumsDuplicatesAndSortsColumns() {
        int[] rows = { 1, 0, 1, 0, 1, 2 };
        int[] cols = { 3, 2, 0, 2, 3, 1 };
        float[] vals = { 1f, 2f, 3f, 4f, 5f, 6f };
        CsrMatrix m = CsrMatrix.fromTriplets(3, 4, rows, cols, vals, 6);
        assertEquals(4, m.nnz());
        assertArrayEquals(new int[] { 0, 1, 3, 4 }, m.indptr());
        assertArrayEquals(new int[] { 2, 0, 3, 1 }, m.indices());
        assertArrayEquals(new float[] { 6f, 3f, 6f, 6f }, m.values());
    }

    @Test
    void fromTripletsUsesOnlyFirstNnz() {
        CsrMatrix m = CsrMatrix.fromTriplets(2, 2, new int[] { 0, 1, 1 }, new int[] { 1, 0, 1 }, new float[] { 1f, 2f, 3f }, 2);
        assertEquals(2, m.nnz());
        assertEquals(0f, m.get(1, 1));
    }

    @Test
    void randomTripletsMatchDenseAccumulation() {
        SplittableRandom random = new SplittableRandom(7);
        int rows = 37;
        int cols = 23;
        int nnz = 500;
        int[] r = new int[nnz];
        int[] c = new int[nnz];
        float[] v = new float[nnz];
        double[][] dense = new double[rows][cols];
        for (int p = 0; p < nnz; p++) {
            r[p] = random.nextInt(rows);
            c[p] = random.nextInt(cols);
            v[p] = random.nextInt(1, 5);
            dense[r[p]][c[p]] += v[p];
        }
        CsrMatrix m = CsrMatrix.fromTriplets(rows, cols, r, c, v, nnz);
        CsrMatrix t = m.transpose();
        assertEquals(cols, t.rows());
        assertEquals(rows, t.cols());
        assertEquals(m.nnz(), t.nnz());
        for (int i = 0; i < rows; i++) {
            for (int j = m.indptr()[i] + 1; j < m.indptr()[i + 1]; j++) {
                assertTrue(m.indices()[j - 1] < m.indices()[j], "columns strictly increasing in row " + i);
            }
            for (int j = 0; j < cols; j++) {
                assertEquals(dense[i][j], m.get(i, j), 0.0);
                assertEquals(dense[i][j], t.get(j, i), 0.0);
            }
        }
        CsrMatrix back = t.transpose();
        assertArrayEquals(m.indptr(), back.indptr());
        assertArrayEquals(m.indices(), back.indices());
        assertArrayEquals(m.values(), back.values());
    }

    @Test
    void rejectsOutOfRangeIndicesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> CsrMatrix.fromTriplets(2, 2, new int[] { 0, 5 }, new int[] { 0, 0 }, new float[] { 1f, 1f }, 2));
        assertTrue(e.getMessage().contains("[5]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
            () -> CsrMatrix.fromTriplets(2, 2, new int[] { 0 }, new int[] { 0 }, new float[] { Float.NaN }, 1));
        assertThrows(IllegalArgumentException.class, () -> CsrMatrix.fromTriplets(2, 2, new int[] { 0 }, new int[] { 0 }, new float[0], 1));
    }

    @Test
    void ofValidatesCanonicalForm() {
        CsrMatrix m = CsrMatrix.of(2, 3, new int[] { 0, 2, 3 }, new int[] { 0, 2, 1 }, new float[] { 1f, 2f, 3f });
        assertEquals(3f, m.get(1, 1));
        assertThrows(IllegalArgumentException.class, () -> CsrMatrix.of(2, 3, new int[] { 0, 2, 3 }, new int[] { 2, 0, 1 },
            new float[] { 1f, 2f, 3f }));
        assertThrows(IllegalArgumentException.class, () -> CsrMatrix.of(2, 3, new int[] { 0, 2, 1 }, new int[] { 0, 2, 1 },
            new float[] { 1f, 2f, 3f }));
    }
}
