package dev.mfrecs.factorization;

import java.util.Arrays;

/**
 * An immutable sparse matrix in compressed-sparse-row form on three flat arrays, the input format of every trainer in this package.
 * <p>
 * Row {@code r} owns positions {@code [indptr[r], indptr[r + 1])} of {@link #indices()} (column numbers, strictly increasing) and
 * {@link #values()}. The accessors return the backing arrays without copying so hot loops can read them directly; callers must not
 * modify them. Explicitly stored zeros are kept (an explicit trainer may treat a zero rating as a rating); the implicit trainer
 * treats entries {@code <= 0} as unobserved.
 */
public final class CsrMatrix {

    private final int rows;
    private final int cols;
    private final int[] indptr;
    private final int[] indices;
    private final float[] values;

    private CsrMatrix(int rows, int cols, int[] indptr, int[] indices, float[] values) {
        this.rows = rows;
        this.cols = cols;
        this.indptr = indptr;
        this.indices = indices;
        this.values = values;
    }

    /**
     * Builds a matrix from {@code nnz} (row, column, value) triplets in any order. Duplicate (row, column) pairs are summed (in input
     * order, so the result is deterministic); columns end up sorted within each row. Runs in {@code O(nnz + rows + cols)} using two
     * stable counting sorts.
     */
    public static CsrMatrix fromTriplets(int rows, int cols, int[] rowIdx, int[] colIdx, float[] values, int nnz) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(
                "CsrMatrix.fromTriplets: [rows] and [cols] must be >= 0 (was [" + rows + "] x [" + cols + "])");
        }
        if (nnz < 0) {
            throw new IllegalArgumentException("CsrMatrix.fromTriplets: [nnz] must be >= 0 (was [" + nnz + "])");
        }
        requireLength("CsrMatrix.fromTriplets", "rowIdx", rowIdx.length, nnz);
        requireLength("CsrMatrix.fromTriplets", "colIdx", colIdx.length, nnz);
        requireLength("CsrMatrix.fromTriplets", "values", values.length, nnz);
        for (int p = 0; p < nnz; p++) {
            if (rowIdx[p] < 0 || rowIdx[p] >= rows) {
                throw new IllegalArgumentException("CsrMatrix.fromTriplets: row index [" + rowIdx[p] + "] at position [" + p
                    + "] is outside [0, " + rows + ")");
            }
            if (colIdx[p] < 0 || colIdx[p] >= cols) {
                throw new IllegalArgumentException("CsrMatrix.fromTriplets: column index [" + colIdx[p] + "] at position [" + p
                    + "] is outside [0, " + cols + ")");
            }
            if (Float.isFinite(values[p]) == false) {
                throw new IllegalArgumentException(
                    "CsrMatrix.fromTriplets: value at position [" + p + "] is not finite [" + values[p] + "]");
            }
        }
        // Stable counting sort by column, then a stable counting sort by row: the result is ordered by (row, column, input position).
        int[] colStart = new int[cols + 1];
        for (int p = 0; p < nnz; p++) {
            colStart[colIdx[p] + 1]++;
        }
        for (int c = 0; c < cols; c++) {
            colStart[c + 1] += colStart[c];
        }
        int[] byCol = new int[nnz];
        for (int p = 0; p < nnz; p++) {
            byCol[colStart[colIdx[p]]++] = p;
        }
        int[] rowStart = new int[rows + 1];
        for (int p = 0; p < nnz; p++) {
            rowStart[rowIdx[p] + 1]++;
        }
        for (int r = 0; r < rows; r++) {
            rowStart[r + 1] += rowStart[r];
        }
        int[] fill = Arrays.copyOf(rowStart, rows);
        int[] order = new int[nnz];
        for (int q = 0; q < nnz; q++) {
            int p = byCol[q];
            order[fill[rowIdx[p]]++] = p;
        }
        int[] outPtr = new int[rows + 1];
        int[] outIdx = new int[nnz];
        float[] outVal = new float[nnz];
        int w = 0;
        for (int r = 0; r < rows; r++) {
            outPtr[r] = w;
            for (int q = rowStart[r]; q < rowStart[r + 1]; q++) {
                int p = order[q];
                int c = colIdx[p];
                if (w > outPtr[r] && outIdx[w - 1] == c) {
                    outVal[w - 1] += values[p];
                } else {
                    outIdx[w] = c;
                    outVal[w] = values[p];
                    w++;
                }
            }
        }
        outPtr[rows] = w;
        return new CsrMatrix(rows, cols, outPtr, w == nnz ? outIdx : Arrays.copyOf(outIdx, w),
            w == nnz ? outVal : Arrays.copyOf(outVal, w));
    }

    /**
     * Wraps arrays that already are in canonical CSR form (no copy). Validates the structure: {@code indptr} non-decreasing from 0,
     * columns in range and strictly increasing within each row, values finite.
     */
    public static CsrMatrix of(int rows, int cols, int[] indptr, int[] indices, float[] values) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("CsrMatrix.of: [rows] and [cols] must be >= 0 (was [" + rows + "] x [" + cols + "])");
        }
        requireLength("CsrMatrix.of", "indptr", indptr.length, rows + 1);
        if (indptr[0] != 0) {
            throw new IllegalArgumentException("CsrMatrix.of: [indptr[0]] must be 0 (was [" + indptr[0] + "])");
        }
        int nnz = indptr[rows];
        requireLength("CsrMatrix.of", "indices", indices.length, nnz);
        requireLength("CsrMatrix.of", "values", values.length, nnz);
        for (int r = 0; r < rows; r++) {
            if (indptr[r + 1] < indptr[r]) {
                throw new IllegalArgumentException("CsrMatrix.of: [indptr] decreases at row [" + r + "]");
            }
            for (int p = indptr[r]; p < indptr[r + 1]; p++) {
                int c = indices[p];
                if (c < 0 || c >= cols || (p > indptr[r] && c <= indices[p - 1])) {
                    throw new IllegalArgumentException("CsrMatrix.of: column [" + c + "] at position [" + p + "] of row [" + r
                        + "] is out of range or not strictly increasing");
                }
                if (Float.isFinite(values[p]) == false) {
                    throw new IllegalArgumentException("CsrMatrix.of: value at position [" + p + "] is not finite [" + values[p] + "]");
                }
            }
        }
        return new CsrMatrix(rows, cols, indptr, nnz == indices.length ? indices : Arrays.copyOf(indices, nnz),
            nnz == values.length ? values : Arrays.copyOf(values, nnz));
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int nnz() {
        return indptr[rows];
    }

    /** Row pointers, length {@code rows + 1}; the backing array, not a copy. */
    public int[] indptr() {
        return indptr;
    }

    /** Column numbers, length {@code nnz}; the backing array, not a copy. */
    public int[] indices() {
        return indices;
    }

    /** Stored values, length {@code nnz}; the backing array, not a copy. */
    public float[] values() {
        return values;
    }

    /** Returns the {@code cols x rows} transpose (item-user from user-item); column indices of the result are sorted. */
    public CsrMatrix transpose() {
        int nnz = nnz();
        int[] ptr = new int[cols + 1];
        for (int p = 0; p < nnz; p++) {
            ptr[indices[p] + 1]++;
        }
        for (int c = 0; c < cols; c++) {
            ptr[c + 1] += ptr[c];
        }
        int[] fill = Arrays.copyOf(ptr, cols);
        int[] tIdx = new int[nnz];
        float[] tVal = new float[nnz];
        for (int r = 0; r < rows; r++) {
            for (int p = indptr[r]; p < indptr[r + 1]; p++) {
                int q = fill[indices[p]]++;
                tIdx[q] = r;
                tVal[q] = values[p];
            }
        }
        return new CsrMatrix(cols, rows, ptr, tIdx, tVal);
    }

    /** The stored value at ({@code row}, {@code col}), or 0 if absent; binary search, for tests and tools rather than hot loops. */
    public float get(int row, int col) {
        int p = Arrays.binarySearch(indices, indptr[row], indptr[row + 1], col);
        return p >= 0 ? values[p] : 0f;
    }

    @Override
    public String toString() {
        return "CsrMatrix[" + rows + " x " + cols + ", nnz=" + nnz() + "]";
    }

    static void requireLength(String api, String name, int actual, long required) {
        if (actual < required) {
            throw new IllegalArgumentException(
                api + ": [" + name + "] has length [" + actual + "] but at least [" + required + "] is required");
        }
    }
}
