package dev.mfrecs.factorization;

import java.util.Arrays;

/**
 * The transpose of a matrix with each entry's column and value in one {@code int}, for the item half-sweeps of implicit ALS's
 * conjugate-gradient training. It exists for memory: the transpose is the largest thing training allocates besides the matrix and the
 * factors, and interaction logs have few distinct values (ratings 1 to 5, small counts), so an entry holds its column in the high
 * bits and the number of its value in a dictionary in the low ones: 4 bytes an entry instead of 8 (40 MB less on a 10M-pair log).
 * Values are looked up exactly, so training gives the same bits as on {@link CsrMatrix#transpose()}. {@link #of} returns
 * {@code null} when the values do not fit the bits the column leaves free.
 *
 * @param indptr     row pointers, length {@code rows + 1}
 * @param entries    per entry {@code (column << codeBits) | code}, read unsigned
 * @param dictionary the value of each code
 * @param codeBits   the low bits holding the code
 */
record PackedTranspose(int rows, int cols, int[] indptr, int[] entries, float[] dictionary, int codeBits) {

    /** Most distinct values a dictionary takes (the probe table is twice as many ints). */
    static final int MAX_CODES = 1 << 16;

    /** The transpose of {@code m} packed, or {@code null} when its distinct values do not fit the free bits. */
    static PackedTranspose of(CsrMatrix m) {
        int columnBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, m.rows() - 1)));
        int codeBits = 32 - columnBits;
        if (codeBits <= 0) {
            return null;
        }
        int limit = codeBits >= 16 ? MAX_CODES : 1 << codeBits;
        Codes codes = new Codes(limit);
        float[] values = m.values();
        int nnz = m.nnz();
        for (int p = 0; p < nnz; p++) {
            if (codes.code(values[p]) < 0) {
                return null;
            }
        }
        int cols = m.cols();
        int[] indices = m.indices();
        int[] mPtr = m.indptr();
        int[] ptr = new int[cols + 1];
        for (int p = 0; p < nnz; p++) {
            ptr[indices[p] + 1]++;
        }
        for (int c = 0; c < cols; c++) {
            ptr[c + 1] += ptr[c];
        }
        int[] fill = Arrays.copyOf(ptr, cols);
        int[] entries = new int[nnz];
        for (int r = 0; r < m.rows(); r++) {
            int high = r << codeBits;
            for (int p = mPtr[r]; p < mPtr[r + 1]; p++) {
                entries[fill[indices[p]]++] = high | codes.code(values[p]);
            }
        }
        return new PackedTranspose(cols, m.rows(), ptr, entries, codes.dictionary(), codeBits);
    }

    /** Bytes of the arrays, for logs and benchmarks. */
    long bytes() {
        return 4L * indptr.length + 4L * entries.length + 4L * dictionary.length;
    }

    /** Numbers distinct float bit patterns in first-seen order (open addressing); {@code -1} once more than the limit are seen. */
    private static final class Codes {
        private final int[] keys;
        private final int[] slots;
        private final float[] values;
        private final int shift;
        private int size;

        Codes(int limit) {
            int capacity = Integer.highestOneBit(Math.max(2, limit)) * 2;
            keys = new int[capacity];
            slots = new int[capacity];
            values = new float[limit];
            shift = 32 - Integer.numberOfTrailingZeros(capacity);
        }

        int code(float v) {
            int bits = Float.floatToRawIntBits(v);
            int h = (bits * 0x9E3779B9) >>> shift;
            while (true) {
                int s = slots[h];
                if (s == 0) {
                    if (size == values.length) {
                        return -1;
                    }
                    keys[h] = bits;
                    values[size] = v;
                    slots[h] = ++size;
                    return size - 1;
                }
                if (keys[h] == bits) {
                    return s - 1;
                }
                h = (h + 1) & (keys.length - 1);
            }
        }

        float[] dictionary() {
            return Arrays.copyOf(values, size);
        }
    }
}
