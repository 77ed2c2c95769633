package dev.mfrecs.evaluation;

import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.trainer.data.IdDictionary;
import dev.mfrecs.trainer.data.InteractionMatrix;

import java.util.Arrays;

/**
 * One aggregated value (and latest timestamp) per (user, item) pair as parallel flat arrays over dense ids: what the evaluation
 * protocols split. Splits are index subsets of the same pair list, so train, validation and test matrices share one id space
 * (and the same dimensions) however they were carved.
 *
 * @param times epoch milliseconds of each pair's latest event, or {@code null} when the input had no timestamps
 */
public record Interactions(IdDictionary users, IdDictionary items, int[] user, int[] item, float[] value, long[] times) {

    public Interactions {
        if (user.length != item.length || user.length != value.length || (times != null && times.length != user.length)) {
            throw new IllegalArgumentException("Interactions: arrays must have one entry per pair (was [" + user.length + "], ["
                + item.length + "], [" + value.length + "], [" + (times == null ? "null" : times.length) + "])");
        }
    }

    /**
     * The stored pairs of {@code m} in its CSR order (by user, then item), with its dictionaries and, when it kept them, its
     * timestamps: how files ({@link dev.mfrecs.trainer.data.InteractionFileReader}) and the Online Retail log become evaluation data.
     */
    public static Interactions of(InteractionMatrix m) {
        CsrMatrix csr = m.userItems();
        int n = csr.nnz();
        int[] u = new int[n];
        int[] indptr = csr.indptr();
        for (int r = 0; r < csr.rows(); r++) {
            Arrays.fill(u, indptr[r], indptr[r + 1], r);
        }
        return new Interactions(m.users(), m.items(), u, Arrays.copyOf(csr.indices(), n), Arrays.copyOf(csr.values(), n),
            m.times() == null ? null : m.times().clone());
    }

    public int size() {
        return user.length;
    }

    public int userCount() {
        return users.size();
    }

    public int itemCount() {
        return items.size();
    }

    public boolean hasTimes() {
        return times != null;
    }

    /** The pairs at {@code pairs} (indices into this list), keeping the dictionaries. */
    public Interactions subset(int[] pairs) {
        int[] u = new int[pairs.length];
        int[] i = new int[pairs.length];
        float[] v = new float[pairs.length];
        long[] t = times == null ? null : new long[pairs.length];
        for (int p = 0; p < pairs.length; p++) {
            int q = pairs[p];
            u[p] = user[q];
            i[p] = item[q];
            v[p] = value[q];
            if (t != null) {
                t[p] = times[q];
            }
        }
        return new Interactions(users, items, u, i, v, t);
    }

    /** The users x items matrix of all pairs, with the full dictionaries' dimensions. */
    public CsrMatrix toMatrix() {
        return CsrMatrix.fromTriplets(userCount(), itemCount(), user, item, value, size());
    }

    /** The same matrix with every value replaced by {@code 1}. */
    public CsrMatrix toBinaryMatrix() {
        float[] ones = new float[size()];
        Arrays.fill(ones, 1f);
        return CsrMatrix.fromTriplets(userCount(), itemCount(), user, item, ones, size());
    }
}
