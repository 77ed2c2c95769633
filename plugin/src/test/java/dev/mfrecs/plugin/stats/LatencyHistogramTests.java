package dev.mfrecs.plugin.stats;

import org.elasticsearch.test.ESTestCase;

import java.util.Arrays;

/** The histogram's buckets hold what they claim, and its percentiles are never below and at most 12.5% above the true ones. */
public class LatencyHistogramTests extends ESTestCase {

    public void testEveryValueFallsInABucketWhoseUpperBoundCoversIt() {
        long previousUpper = -1;
        for (int b = 0; b < LatencyHistogram.BUCKETS; b++) {
            long upper = LatencyHistogram.upperBound(b);
            assertTrue("bucket " + b, upper > previousUpper);
            assertEquals("lower edge of bucket " + b, b, LatencyHistogram.bucket(previousUpper + 1));
            assertEquals("upper edge of bucket " + b, b, LatencyHistogram.bucket(upper));
            previousUpper = upper;
            if (upper > Long.MAX_VALUE / 4) {
                break;
            }
        }
        assertEquals(0, LatencyHistogram.bucket(0));
        assertEquals(7, LatencyHistogram.bucket(7));
        assertEquals(LatencyHistogram.BUCKETS - 1, LatencyHistogram.bucket(Long.MAX_VALUE));
    }

    public void testPercentilesAreWithinOneBucketOfTheExactOnes() {
        LatencyHistogram h = new LatencyHistogram();
        int n = randomIntBetween(100, 5000);
        long[] values = new long[n];
        for (int i = 0; i < n; i++) {
            values[i] = randomLongBetween(50, 2_000_000);
            h.record(values[i]);
        }
        Arrays.sort(values);
        LatencyHistogram.Snapshot s = h.snapshot();
        assertEquals(n, s.count());
        assertEquals(values[n - 1], s.max());
        for (double p : new double[] { 0.50, 0.95, 0.99 }) {
            long exact = values[(int) Math.ceil(p * n) - 1];
            long reported = p == 0.50 ? s.p50() : p == 0.95 ? s.p95() : s.p99();
            assertTrue("p" + p + ": " + reported + " < exact " + exact, reported >= exact);
            assertTrue("p" + p + ": " + reported + " more than 12.5% above exact " + exact, reported <= exact * 1.125 + 1);
        }
    }

    public void testEmptyAndNegative() {
        LatencyHistogram h = new LatencyHistogram();
        assertEquals(new LatencyHistogram.Snapshot(0, 0, 0, 0, 0), h.snapshot());
        h.record(-5);
        assertEquals(new LatencyHistogram.Snapshot(1, 0, 0, 0, 0), h.snapshot());
    }
}
