package dev.mfrecs.trainer.data;

import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.factorization.CsrMatrix;

import java.util.Arrays;

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
     * Combines weighted events per (user, item) by a {@link DuplicatePolicy}: the default sums ({@link DuplicatePolicy#SUM}),
     * {@link DuplicatePolicy#LAST} keeps the last value added, {@link DuplicatePolicy#MEAN} averages. Asked to keep timestamps
     * (evaluation's leave-one-out needs each pair's latest), it also keeps each pair's latest; otherwise
     * {@link #add(String, String, float)} does no timestamp work.
     * <p>
     * Memory is what bounds the size of a log one machine can train on, so events are appended as they come to flat chunks of
     * primitives (8 bytes an event: user and item numbers, plus 4 for the value unless every value so far was 1, plus 8 for a
     * timestamp when kept) and only {@link #build} groups them: it scatters the events into the matrix's rows (releasing each
     * chunk as it goes), then sorts and combines each row in place. A hash map keyed by pair, as before, held about 20 bytes per
     * pair at its load factor and doubled while growing: on a 10M-event log, 200 to 400 MB for what ends as an 80 MB matrix.
     * An accumulator builds one matrix: {@link #build} consumes it.
     */
    public static final class Accumulator {
        /** Events per chunk: 1 MB arrays, few enough for a 10M-event log (40 chunks) and small against the heap. */
        private static final int CHUNK = 1 << 18;

        private final DuplicatePolicy policy;
        private final boolean keepTimes;
        private final IdDictionary users = new IdDictionary();
        private final IdDictionary items = new IdDictionary();
        private int[][] userChunks = new int[16][];
        private int[][] itemChunks = new int[16][];
        /** Null while every value added was 1 (two-column and binarized logs), then one chunk per event chunk. */
        private float[][] valueChunks;
        private long[][] timeChunks;
        /** Events per user number, the row lengths of the matrix before duplicates are combined. */
        private int[] userEvents = new int[1024];
        private long events;
        private boolean built;

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
            this.keepTimes = keepTimes;
            this.timeChunks = keepTimes ? new long[16][] : null;
        }

        public DuplicatePolicy policy() {
            return policy;
        }

        /** Whether pairs keep their latest timestamp ({@link #add(String, String, float, long)}). */
        public boolean keepsTimes() {
            return keepTimes;
        }

        public void add(String user, String item, float weight) {
            addEvent(user, item, weight);
        }

        /** As {@link #add(String, String, float)}, keeping the pair's latest {@code time} (any unit; evaluation uses epoch millis). */
        public void add(String user, String item, float weight, long time) {
            if (keepTimes == false) {
                throw new IllegalStateException("InteractionMatrix.Accumulator: built without [keepTimes], cannot add a timestamp");
            }
            long at = addEvent(user, item, weight);
            timeChunks[(int) (at / CHUNK)][(int) (at % CHUNK)] = time;
        }

        /** Appends one event and returns its position. */
        private long addEvent(String user, String item, float weight) {
            if (built) {
                throw new IllegalStateException("InteractionMatrix.Accumulator: already built; an accumulator builds one matrix");
            }
            if (events == Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("InteractionMatrix.Accumulator: more than [" + (Integer.MAX_VALUE - 8)
                    + "] events do not fit one matrix");
            }
            int u = users.add(user);
            int i = items.add(item);
            long at = events++;
            int c = (int) (at / CHUNK);
            int j = (int) (at % CHUNK);
            if (j == 0) {
                newChunk(c);
            }
            userChunks[c][j] = u;
            itemChunks[c][j] = i;
            if (valueChunks != null) {
                valueChunks[c][j] = weight;
            } else if (weight != 1f) {
                // the first value other than 1: from now on values are stored, the earlier ones were all 1
                valueChunks = new float[userChunks.length][];
                for (int k = 0; k <= c; k++) {
                    valueChunks[k] = new float[CHUNK];
                    Arrays.fill(valueChunks[k], 1f);
                }
                valueChunks[c][j] = weight;
            }
            if (u == userEvents.length) {
                userEvents = Arrays.copyOf(userEvents, 2 * u);
            }
            userEvents[u]++;
            return at;
        }

        private void newChunk(int c) {
            if (c == userChunks.length) {
                userChunks = Arrays.copyOf(userChunks, 2 * c);
                itemChunks = Arrays.copyOf(itemChunks, 2 * c);
                if (valueChunks != null) {
                    valueChunks = Arrays.copyOf(valueChunks, 2 * c);
                }
                if (timeChunks != null) {
                    timeChunks = Arrays.copyOf(timeChunks, 2 * c);
                }
            }
            userChunks[c] = new int[CHUNK];
            itemChunks[c] = new int[CHUNK];
            if (valueChunks != null) {
                valueChunks[c] = new float[CHUNK];
            }
            if (timeChunks != null) {
                timeChunks[c] = new long[CHUNK];
            }
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
         * the others are dropped (e.g. ratings >= 4 as implicit positives). Consumes the accumulator.
         */
        public InteractionMatrix build(int minPerUser, int minPerItem, float binarizeAt) {
            if (built) {
                throw new IllegalStateException("InteractionMatrix.Accumulator: already built; an accumulator builds one matrix");
            }
            built = true;
            int userCount = users.size();
            int itemCount = items.size();
            int n = (int) events;
            // 1. scatter the events into rows, in the order they were added
            int[] indptr = new int[userCount + 1];
            for (int u = 0; u < userCount; u++) {
                indptr[u + 1] = indptr[u] + userEvents[u];
            }
            userEvents = null;
            int[] indices = new int[n];
            float[] values = new float[n];
            long[] times = keepTimes ? new long[n] : null;
            int[] fill = Arrays.copyOf(indptr, userCount);
            for (int c = 0; (long) c * CHUNK < n; c++) {
                int[] us = userChunks[c];
                int[] is = itemChunks[c];
                float[] vs = valueChunks == null ? null : valueChunks[c];
                long[] ts = times == null ? null : timeChunks[c];
                int len = Math.min(CHUNK, n - c * CHUNK);
                for (int j = 0; j < len; j++) {
                    int at = fill[us[j]]++;
                    indices[at] = is[j];
                    values[at] = vs == null ? 1f : vs[j];
                    if (ts != null) {
                        times[at] = ts[j];
                    }
                }
                // the chunks are garbage once scattered: the heap can reuse them for the rest of the build
                userChunks[c] = null;
                itemChunks[c] = null;
                if (valueChunks != null) {
                    valueChunks[c] = null;
                }
                if (timeChunks != null) {
                    timeChunks[c] = null;
                }
            }
            fill = null;
            // 2. sort each row by item (stably: duplicates stay in the order added), combine duplicates, drop dropped pairs
            int[] pairsPerItem = new int[itemCount];
            int w = combineRows(indptr, indices, values, times, binarizeAt, pairsPerItem);
            // 3. the minimum counts, then renumber the kept users and items densely in first-seen order
            IdDictionary keptUsers = users;
            IdDictionary keptItems = items;
            int minUser = Math.max(1, minPerUser);
            int minItem = Math.max(1, minPerItem);
            int[] itemMap = new int[itemCount];
            boolean dropItems = false;
            for (int i = 0; i < itemCount; i++) {
                if (pairsPerItem[i] < minItem) {
                    dropItems = true;
                }
            }
            boolean dropUsers = false;
            for (int u = 0; u < userCount; u++) {
                if (indptr[u + 1] - indptr[u] < minUser) {
                    dropUsers = true;
                }
            }
            if (dropItems) {
                keptItems = new IdDictionary();
                for (int i = 0; i < itemCount; i++) {
                    itemMap[i] = pairsPerItem[i] >= minItem ? keptItems.add(items.id(i)) : -1;
                }
            } else {
                for (int i = 0; i < itemCount; i++) {
                    itemMap[i] = i;
                }
            }
            pairsPerItem = null;
            if (dropUsers) {
                keptUsers = new IdDictionary();
            }
            int rows = 0;
            int nnz = 0;
            int from = 0;
            for (int u = 0; u < userCount; u++) {
                int to = indptr[u + 1];
                if (to - from >= minUser) {
                    if (dropUsers) {
                        keptUsers.add(users.id(u));
                    }
                    for (int p = from; p < to; p++) {
                        int i = itemMap[indices[p]];
                        if (i >= 0) {
                            indices[nnz] = i;
                            values[nnz] = values[p];
                            if (times != null) {
                                times[nnz] = times[p];
                            }
                            nnz++;
                        }
                    }
                    indptr[++rows] = nnz;
                }
                from = to;
            }
            if (rows < userCount) {
                indptr = Arrays.copyOf(indptr, rows + 1);
            }
            assert nnz <= w;
            CsrMatrix m = CsrMatrix.of(rows, keptItems.size(), indptr, indices, values);
            return new InteractionMatrix(keptUsers, keptItems, m, events, times == null || nnz == n ? times : Arrays.copyOf(times, nnz));
        }

        /**
         * Sorts each row's entries by item, combines the entries of one pair by the policy (in the order they were added) and
         * writes the kept pairs compacted to the front, rewriting {@code indptr}; counts each item's kept pairs. Returns the
         * number of kept pairs.
         */
        private int combineRows(int[] indptr, int[] indices, float[] values, long[] times, float binarizeAt, int[] pairsPerItem) {
            int rows = indptr.length - 1;
            int longest = 0;
            for (int u = 0; u < rows; u++) {
                longest = Math.max(longest, indptr[u + 1] - indptr[u]);
            }
            long[] keys = null;
            float[] valueScratch = null;
            long[] timeScratch = null;
            int w = 0;
            int from = 0;
            for (int u = 0; u < rows; u++) {
                int to = indptr[u + 1];
                boolean sorted = true;
                for (int p = from + 1; p < to && sorted; p++) {
                    sorted = indices[p - 1] <= indices[p];
                }
                if (sorted == false) {
                    if (keys == null) {
                        keys = new long[longest];
                        valueScratch = new float[longest];
                        timeScratch = times == null ? null : new long[longest];
                    }
                    int len = to - from;
                    // item in the high half, position in the low half: distinct keys, so the order is the stable one
                    for (int k = 0; k < len; k++) {
                        keys[k] = ((long) indices[from + k] << 32) | k;
                    }
                    Arrays.sort(keys, 0, len);
                    System.arraycopy(values, from, valueScratch, 0, len);
                    if (times != null) {
                        System.arraycopy(times, from, timeScratch, 0, len);
                    }
                    for (int k = 0; k < len; k++) {
                        int q = (int) keys[k];
                        indices[from + k] = (int) (keys[k] >>> 32);
                        values[from + k] = valueScratch[q];
                        if (times != null) {
                            times[from + k] = timeScratch[q];
                        }
                    }
                }
                int rowStart = w;
                for (int p = from; p < to;) {
                    int item = indices[p];
                    float v = values[p];
                    long t = times == null ? 0 : times[p];
                    int count = 1;
                    int q = p + 1;
                    for (; q < to && indices[q] == item; q++) {
                        switch (policy) {
                            case SUM, MEAN -> v += values[q];
                            case LAST -> v = values[q];
                        }
                        if (times != null && times[q] > t) {
                            t = times[q];
                        }
                        count++;
                    }
                    float value = policy.pairValue(policy == DuplicatePolicy.MEAN ? v / count : v, binarizeAt);
                    if (Float.isNaN(value) == false) {
                        indices[w] = item;
                        values[w] = value;
                        if (times != null) {
                            times[w] = t;
                        }
                        pairsPerItem[item]++;
                        w++;
                    }
                    p = q;
                }
                indptr[u] = rowStart;
                from = to;
            }
            // indptr[u] now holds row u's compacted start; the last row ends at w
            indptr[rows] = w;
            return w;
        }
    }
}
