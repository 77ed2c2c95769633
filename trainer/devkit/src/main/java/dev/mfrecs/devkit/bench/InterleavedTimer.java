package dev.mfrecs.devkit.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Closed-loop latency measurement shared by {@code bench-serving} and {@code bench-sweep}: several kinds of request take
 * turns in {@link #ROUNDS} rounds, each round a share of the queries and the order rotated per round, so a slow phase of
 * the machine (another tenant, a merge, a GC) falls on every kind alike and their ratios stay comparable.
 */
final class InterleavedTimer {

    /** Rounds of interleaved measurement. */
    static final int ROUNDS = 5;

    private InterleavedTimer() {}

    /** One request per call, numbered; the answer is ignored. */
    interface Request {
        Object send(int n) throws Exception;
    }

    /** Each kind's latency per request in ms ({@code millis[kind][n]}) and the wall seconds its requests took. */
    record Timings(double[][] millis, double[] seconds) {}

    /**
     * Warms every kind up with its first {@code warmup} requests (at most {@code queries}), then measures requests
     * {@code 0..queries-1} of every kind, interleaved, from {@code clients} clients each waiting for its answer.
     */
    static Timings measure(List<Request> kinds, int queries, int clients, int warmup) throws Exception {
        for (Request kind : kinds) {
            for (int n = 0; n < Math.min(warmup, queries); n++) {
                kind.send(n);
            }
        }
        int k = kinds.size();
        double[][] millis = new double[k][queries];
        double[] seconds = new double[k];
        for (int round = 0; round < ROUNDS; round++) {
            int from = (int) ((long) queries * round / ROUNDS);
            int to = (int) ((long) queries * (round + 1) / ROUNDS);
            for (int turn = 0; turn < k; turn++) {
                int kind = (round + turn) % k;
                seconds[kind] += run(kinds.get(kind), from, to, millis[kind], clients);
            }
        }
        return new Timings(millis, seconds);
    }

    /** Sends requests {@code [from, to)} from {@code clients} clients, records each latency in ms, returns the wall seconds. */
    static double run(Request request, int from, int to, double[] millis, int clients) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                final int first = from + t;
                futures.add(pool.submit(() -> {
                    for (int n = first; n < to; n += clients) {
                        long s = System.nanoTime();
                        request.send(n);
                        millis[n] = (System.nanoTime() - s) / 1e6;
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
