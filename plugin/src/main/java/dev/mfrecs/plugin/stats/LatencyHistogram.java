package dev.mfrecs.plugin.stats;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Latencies of one API on one node, in microseconds, kept as counts in logarithmic buckets so that recording is two atomic
 * increments and percentiles stay within about 12% of the true value however many requests were seen: below 8 us every value is
 * its own bucket, above that every power of two is split into 8 equal buckets. A percentile is reported as the upper bound of the
 * bucket it falls in (never below the true value), the maximum exactly. Elasticsearch's {@code ExponentialBucketHistogram}
 * buckets by powers of two only, too coarse for p50 against p99 of a 2 to 20 ms API.
 */
public final class LatencyHistogram {

    static final int SUB_BUCKETS = 8;
    private static final int SUB_BITS = 3;
    static final int BUCKETS = SUB_BUCKETS + (63 - SUB_BITS) * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    /** Records one latency; negative values count as 0. */
    public void record(long micros) {
        long v = Math.max(0, micros);
        counts.incrementAndGet(bucket(v));
        max.accumulate(v);
    }

    static int bucket(long v) {
        if (v < SUB_BUCKETS) {
            return (int) v;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(v);
        int sub = (int) (v >>> (exponent - SUB_BITS)) & (SUB_BUCKETS - 1);
        return SUB_BUCKETS + (exponent - SUB_BITS) * SUB_BUCKETS + sub;
    }

    /** The largest value bucket {@code b} holds. */
    static long upperBound(int b) {
        if (b < SUB_BUCKETS) {
            return b;
        }
        int exponent = (b - SUB_BUCKETS) / SUB_BUCKETS + SUB_BITS;
        int sub = (b - SUB_BUCKETS) % SUB_BUCKETS;
        return ((long) (SUB_BUCKETS + sub + 1) << (exponent - SUB_BITS)) - 1;
    }

    /** The counts, percentiles and maximum at this moment. */
    public Snapshot snapshot() {
        long[] c = new long[BUCKETS];
        long total = 0;
        for (int b = 0; b < BUCKETS; b++) {
            c[b] = counts.get(b);
            total += c[b];
        }
        long observedMax = max.get();
        return new Snapshot(total, percentile(c, total, 0.50, observedMax), percentile(c, total, 0.95, observedMax),
            percentile(c, total, 0.99, observedMax), observedMax);
    }

    private static long percentile(long[] c, long total, double p, long observedMax) {
        if (total == 0) {
            return 0;
        }
        long rank = Math.max(1, (long) Math.ceil(p * total));
        long seen = 0;
        for (int b = 0; b < c.length; b++) {
            seen += c[b];
            if (seen >= rank) {
                return Math.min(upperBound(b), observedMax);
            }
        }
        return observedMax;
    }

    /** Latencies in microseconds: how many were recorded, p50, p95, p99 and the maximum. */
    public record Snapshot(long count, long p50, long p95, long p99, long max) {}
}
