package dev.mfrecs.devkit.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The load driver's statistics: nearest-rank percentiles, per-kind split by request parity, errors kept out of latencies. */
class QueryLoadTests {

    @Test
    void nearestRankPercentiles() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = (i + 1) * 1_000_000L; // 1..100 ms
        }
        assertEquals(50.0, QueryLoad.percentile(sorted, 50), 1e-9);
        assertEquals(95.0, QueryLoad.percentile(sorted, 95), 1e-9);
        assertEquals(99.0, QueryLoad.percentile(sorted, 99), 1e-9);
        assertEquals(100.0, QueryLoad.percentile(sorted, 100), 1e-9);
        assertEquals(7.0, QueryLoad.percentile(new long[] { 7_000_000L }, 99), 1e-9);
        assertTrue(Double.isNaN(QueryLoad.percentile(new long[0], 50)));
    }

    @Test
    void statsSplitByParityAndExcludeFailures() {
        // Even indices (stored users) take 1 ms, odd ones (histories) 10 ms; the last history failed after 1000 ms.
        long[] nanos = { 1_000_000L, 10_000_000L, 1_000_000L, 10_000_000L, 1_000_000L, 1_000_000_000L };
        boolean[] failed = { false, false, false, false, false, true };
        QueryLoad.Stats users = QueryLoad.stats("stored user", nanos, failed, 0);
        QueryLoad.Stats histories = QueryLoad.stats("3-item history", nanos, failed, 1);
        QueryLoad.Stats all = QueryLoad.stats("all", nanos, failed, -1);
        assertEquals(3, users.count());
        assertEquals(0, users.errors());
        assertEquals(1.0, users.max(), 1e-9);
        assertEquals(3, histories.count());
        assertEquals(1, histories.errors());
        assertEquals(10.0, histories.p99(), 1e-9);
        assertEquals(6, all.count());
        assertEquals(1, all.errors());
        assertEquals(10.0, all.max(), 1e-9, "a failed request's time must not count as a latency");
        assertEquals(1.0, all.p50(), 1e-9);
    }

    @Test
    void paramsAreValidated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new QueryLoad.Params("retail", 0, 10, 0, 10, 1));
        assertEquals("[--clients] must be in [1, 1024], got [0]", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new QueryLoad.Params("retail", 1, 0, 0, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new QueryLoad.Params("retail", 1, 10, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new QueryLoad.Params("Bad Name", 1, 10, 0, 10, 1));
    }
}
