package dev.mfrecs.trainer.data;

import dev.mfrecs.factorization.CsrMatrix;

import it.unimi.dsi.fastutil.longs.Long2FloatMap;
import it.unimi.dsi.fastutil.longs.Long2FloatOpenHashMap;

/**
 * Users x items with one aggregated value per pair, plus the id dictionaries: what the trainer learns from, however
 * the events were read (an Elasticsearch index or a file). Built by an {@link Accumulator} that sums repeated events.
 */
public record InteractionMatrix(IdDictionary users, IdDictionary items, CsrMatrix userItems, long events) {

    /** Sums weighted events per (user, item) in a primitive map: bounded memory per distinct pair, no boxing. */
    public static final class Accumulator {
        private final IdDictionary users = new IdDictionary();
        private final IdDictionary items = new IdDictionary();
        private final Long2FloatOpenHashMap pairs = new Long2FloatOpenHashMap();
        private final it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap counts;
        private long events;

        /** Sums repeated events of a pair (implicit feedback). */
        public Accumulator() {
            this(false);
        }

        /** With {@code mean}, repeated events of a pair are averaged instead (explicit ratings given more than once). */
        public Accumulator(boolean mean) {
            this.counts = mean ? new it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap() : null;
        }

        public void add(String user, String item, float weight) {
            int u = users.add(user);
            int i = items.add(item);
            long key = ((long) u << 32) | (i & 0xffffffffL);
            pairs.addTo(key, weight);
            if (counts != null) {
                counts.addTo(key, 1);
            }
            events++;
        }

        public long events() {
            return events;
        }

        /**
         * Builds the matrix keeping pairs whose summed value is positive (returns and negative events cancel purchases),
         * then drops users and items with fewer than the minimum number of pairs (one pass, as in most recsys
         * libraries; ids are re-numbered densely).
         */
        public InteractionMatrix build(int minPerUser, int minPerItem) {
            return build(minPerUser, minPerItem, Float.NaN);
        }

        /**
         * As {@link #build(int, int)}; with a finite {@code binarizeAt}, pairs whose value is at least that become 1 and
         * the others are dropped (e.g. ratings >= 4 as implicit positives).
         */
        public InteractionMatrix build(int minPerUser, int minPerItem, float binarizeAt) {
            if (counts != null) {
                for (Long2FloatMap.Entry e : pairs.long2FloatEntrySet()) {
                    e.setValue(e.getFloatValue() / counts.get(e.getLongKey()));
                }
            }
            if (Float.isNaN(binarizeAt) == false) {
                for (Long2FloatMap.Entry e : pairs.long2FloatEntrySet()) {
                    e.setValue(e.getFloatValue() >= binarizeAt ? 1f : 0f);
                }
            }
            int[] userCount = new int[users.size()];
            int[] itemCount = new int[items.size()];
            for (Long2FloatMap.Entry e : pairs.long2FloatEntrySet()) {
                if (e.getFloatValue() > 0) {
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
                if (u >= 0 && i >= 0 && e.getFloatValue() > 0) {
                    rows[nnz] = u;
                    cols[nnz] = i;
                    vals[nnz] = e.getFloatValue();
                    nnz++;
                }
            }
            CsrMatrix m = CsrMatrix.fromTriplets(keptUsers.size(), keptItems.size(), rows, cols, vals, nnz);
            return new InteractionMatrix(keptUsers, keptItems, m, events);
        }
    }
}
