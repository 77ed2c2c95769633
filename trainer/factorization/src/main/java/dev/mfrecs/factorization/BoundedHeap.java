package dev.mfrecs.factorization;

/**
 * A fixed-capacity min-heap of (index, score) keeping the {@code k} best entries seen, where "better" means a higher score and, on
 * equal scores, a smaller index. It is the core of {@link TopK}: streaming selection in {@code O(n log k)} without an n-sized buffer.
 */
final class BoundedHeap {

    private final int capacity;
    private final int[] index;
    private final float[] score;
    private int size;

    BoundedHeap(int capacity) {
        this.capacity = capacity;
        this.index = new int[capacity];
        this.score = new float[capacity];
    }

    /** Whether (i, s) ranks below (j, t): lower score, or equal score and larger index. */
    private static boolean worse(int i, float s, int j, float t) {
        return s < t || (s == t && i > j);
    }

    void offer(int i, float s) {
        if (capacity == 0) {
            return;
        }
        if (size < capacity) {
            int pos = size++;
            while (pos > 0) {
                int parent = (pos - 1) >>> 1;
                if (worse(i, s, index[parent], score[parent]) == false) {
                    break;
                }
                index[pos] = index[parent];
                score[pos] = score[parent];
                pos = parent;
            }
            index[pos] = i;
            score[pos] = s;
        } else if (worse(index[0], score[0], i, s)) {
            siftDown(i, s, size);
        }
    }

    /** Places (i, s) at the root and restores the heap property over the first {@code n} slots. */
    private void siftDown(int i, float s, int n) {
        int pos = 0;
        while (true) {
            int child = 2 * pos + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && worse(index[child + 1], score[child + 1], index[child], score[child])) {
                child++;
            }
            if (worse(index[child], score[child], i, s) == false) {
                break;
            }
            index[pos] = index[child];
            score[pos] = score[child];
            pos = child;
        }
        index[pos] = i;
        score[pos] = s;
    }

    /** Empties the heap, returning the kept indices best first. */
    int[] drainBestFirst() {
        int[] out = new int[size];
        for (int n = size; n > 0; n--) {
            out[n - 1] = index[0];
            int lastI = index[n - 1];
            float lastS = score[n - 1];
            siftDown(lastI, lastS, n - 1);
        }
        size = 0;
        return out;
    }
}
