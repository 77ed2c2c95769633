package dev.mfrecs.trainer.data;

import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.factorization.CsrMatrix;

import it.unimi.dsi.fastutil.longs.Long2FloatMap;
import it.unimi.dsi.fastutil.longs.Long2FloatOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2LongOpenHashMap;

/**
 * Users x items with one aggregated value per pair, plus the id dictionaries: what the trainer learns from, however
 * the events were read (an Elasticsearch index or a file). Built by an {@link Accumulator} that combines repeated pairs
 * by a {@link DuplicatePolicy}: summed for implicit events, last-wins or averaged for explicit ratings.
 *
 * @param times each stored entry's latest timestamp (aligned with {@code userItems.values()}), or {@code null} when the
 *              accumulator was not asked to keep timestamps (training never is: it does not use them)
 */
public record InteractionMatrix(IdDictionary users, IdDictionary items, CsrMatrix userItems, long events, long[] times) {

    public InteractionMatrix(IdDictionary users, IdDictionary items, CsrMatrix userItems, long events) {
        this(users, items, userItems, events, null);
    }

    public InteractionMatrix {
        if (times != null && times.length != userItems.nnz()) {
            throw new IllegalArgumentException("InteractionMatrix: [times] must have one entry per stored pair (was [" + times.length
                + "], pairs [" + userItems.nnz() + "])");
        }
    }

    /**
     * Combines weighted events per (user, item) in primitive maps: bounded memory per distinct pair, no boxing. The default
     * policy sums ({@link DuplicatePolicy#SUM}); {@link DuplicatePolicy#MEAN} also counts values per pair. Asked to keep
     * timestamps (evaluation's leave-one-out needs each pair's latest), it also holds one {@code long} per pair; otherwise
     * it holds none and {@link #add(String, String, float)} does no timestamp work.
     */
    public static final class Accumulator {
        private final DuplicatePolicy policy;
        private final IdDictionary users = new IdDictionary();
        private final IdDictionary items = new IdDictionary();
        private final Long2FloatOpenHashMap pairs = new Long2FloatOpenHashMap();
        private final Long2IntOpenHashMap counts;
        private final Long2LongOpenHashMap times;
        private long events;
        private float binarizeAt = Float.NaN;

        public Accumulator() {
            this(DuplicatePolicy.SUM);
        }

        public Accumulator(DuplicatePolicy policy) {
            this(policy, false);
        }

        /** With {@code keepTimes}, pairs are added with {@link #add(String, String, float, long)} and keep their latest timestamp. */
        public Accumulator(DuplicatePolicy policy, boolean keepTimes) {
            if (policy == null) {
                throw new IllegalArgumentException("InteractionMatrix.Accumulator: [policy] must not be null");
            }
            this.policy = policy;
            this.counts = policy == DuplicatePolicy.MEAN ? new Long2IntOpenHashMap() : null;
            this.times = keepTimes ? new Long2LongOpenHashMap() : null;
            if (times != null) {
                times.defaultReturnValue(Long.MIN_VALUE);
            }
        }

        public DuplicatePolicy policy() {
            return policy;
        }

        /** Whether pairs keep their latest timestamp ({@link #add(String, String, float, long)}). */
        public boolean keepsTimes() {
            return times != null;
        }

        public void add(String user, String item, float weight) {
            addPair(user, item, weight);
        }

        /** As {@link #add(String, String, float)}, keeping the pair's latest {@code time} (any unit; evaluation uses epoch millis). */
        public void add(String user, String item, float weight, long time) {
            if (times == null) {
                throw new IllegalStateException("InteractionMatrix.Accumulator: built without [keepTimes], cannot add a timestamp");
            }
            long key = addPair(user, item, weight);
            if (time > times.get(key)) {
                times.put(key, time);
            }
        }

        private long addPair(String user, String item, float weight) {
            int u = users.add(user);
            int i = items.add(item);
            long key = ((long) u << 32) | (i & 0xffffffffL);
            switch (policy) {
                case SUM -> pairs.addTo(key, weight);
                case LAST -> pairs.put(key, weight);
                case MEAN -> {
                    pairs.addTo(key, weight);
                    counts.addTo(key, 1);
                }
            }
            events++;
            return key;
        }

        /** Distinct (user, item) pairs seen so far, before any filtering. */
        public int pairs() {
            return pairs.size();
        }

        public long events() {
            return events;
        }

        /**
         * Builds the matrix keeping, with {@link DuplicatePolicy#SUM}, pairs whose summed value is positive (returns and
         * negative events cancel purchases), and with the rating policies every pair; then drops users and items with fewer
         * than the minimum number of pairs (one pass, as in most recsys libraries; ids are re-numbered densely).
         */
        public InteractionMatrix build(int minPerUser, int minPerItem) {
            return build(minPerUser, minPerItem, Float.NaN);
        }

        /**
         * As {@link #build(int, int)}; with a finite {@code binarizeAt}, pairs whose value is at least that become 1 and
         * the others are dropped (e.g. ratings >= 4 as implicit positives).
         */
        public InteractionMatrix build(int minPerUser, int minPerItem, float binarizeAt) {
            this.binarizeAt = binarizeAt;
            int[] userCount = new int[users.size()];
            int[] itemCount = new int[items.size()];
            for (Long2FloatMap.Entry e : pairs.long2FloatEntrySet()) {
                if (Float.isNaN(value(e)) == false) {
                    userCount[(int) (e.getLongKey() >>> 32)]++;
                    itemCount[(int) e.getLongKey()]++;
                }
            }
            IdDictionary keptUsers = new IdDictionary();
            IdDictionary keptItems = new IdDictionary();
            int[] userMap = new int[users.size()];
            int[] itemMap = new int[items.size()];
            for (int u = 0; u < userMap.length; u++) {
                userMap[u] = userCount[u] >= Math.max(1, minPerUser) ? keptUsers.add(users.id(u)) : -1;
            }
            for (int i = 0; i < itemMap.length; i++) {
                itemMap[i] = itemCount[i] >= Math.max(1, minPerItem) ? keptItems.add(items.id(i)) : -1;
            }
            int n = pairs.size();
            int[] rows = new int[n];
            int[] cols = new int[n];
            float[] vals = new float[n];
            int nnz = 0;
            for (Long2FloatMap.Entry e : pairs.long2FloatEntrySet()) {
                int u = userMap[(int) (e.getLongKey() >>> 32)];
                int i = itemMap[(int) e.getLongKey()];
                float v = value(e);
                if (u >= 0 && i >= 0 && Float.isNaN(v) == false) {
                    rows[nnz] = u;
                    cols[nnz] = i;
                    vals[nnz] = v;
                    nnz++;
                }
            }
            CsrMatrix m = CsrMatrix.fromTriplets(keptUsers.size(), keptItems.size(), rows, cols, vals, nnz);
            return new InteractionMatrix(keptUsers, keptItems, m, events, times == null ? null : alignTimes(m, userMap, itemMap));
        }

        /** Each stored entry's timestamp, in CSR order ({@code Long.MIN_VALUE} never occurs: every kept pair was added with one). */
        private long[] alignTimes(CsrMatrix m, int[] userMap, int[] itemMap) {
            int[] userOf = new int[m.rows()];
            int[] itemOf = new int[m.cols()];
            for (int u = 0; u < userMap.length; u++) {
                if (userMap[u] >= 0) {
                    userOf[userMap[u]] = u;
                }
            }
            for (int i = 0; i < itemMap.length; i++) {
                if (itemMap[i] >= 0) {
                    itemOf[itemMap[i]] = i;
                }
            }
            long[] out = new long[m.nnz()];
            int[] indptr = m.indptr();
            int[] indices = m.indices();
            for (int r = 0; r < m.rows(); r++) {
                long high = (long) userOf[r] << 32;
                for (int p = indptr[r]; p < indptr[r + 1]; p++) {
                    out[p] = times.get(high | (itemOf[indices[p]] & 0xffffffffL));
                }
            }
            return out;
        }

        /** The pair's value in the matrix, NaN when it is dropped: the contract's one rule ({@link DuplicatePolicy#pairValue}). */
        private float value(Long2FloatMap.Entry e) {
            float v = counts == null ? e.getFloatValue() : e.getFloatValue() / counts.get(e.getLongKey());
            return policy.pairValue(v, binarizeAt);
        }
    }
}
