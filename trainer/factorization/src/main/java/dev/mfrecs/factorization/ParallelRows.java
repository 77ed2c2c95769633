package dev.mfrecs.factorization;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a row-range task over {@code [0, n)} on a fixed number of threads. Exists so every trainer parallelizes the same way: rows
 * are handed out in fixed blocks from a shared counter, each worker has a stable index (to pick its own scratch buffers), and the
 * result cannot depend on the thread count as long as each row's work only reads shared inputs and writes its own row.
 * The first failure stops the other workers and is rethrown to the caller.
 */
final class ParallelRows {

    static final int BLOCK = 64;

    /** One block of rows {@code [from, to)} processed by worker {@code worker} ({@code 0 <= worker < threads}). */
    @FunctionalInterface
    interface RangeTask {
        void run(int worker, int from, int to);
    }

    private ParallelRows() {}

    static void run(String name, int n, int threads, RangeTask task) {
        run(name, n, threads, BLOCK, task);
    }

    /** As {@link #run(String, int, int, RangeTask)} with blocks of {@code block} rows; block {@code b} is {@code [b * block, ...)}. */
    static void run(String name, int n, int threads, int block, RangeTask task) {
        if (n <= 0) {
            return;
        }
        int blocks = (n + block - 1) / block;
        int workers = Math.min(threads, blocks);
        if (workers <= 1) {
            for (int b = 0; b < blocks; b++) {
                task.run(0, b * block, Math.min(n, (b + 1) * block));
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread[] started = new Thread[workers - 1];
        for (int w = 1; w < workers; w++) {
            Thread t = new Thread(body(n, block, blocks, w, next, failure, task), name + "-" + w);
            t.setDaemon(true);
            started[w - 1] = t;
            t.start();
        }
        body(n, block, blocks, 0, next, failure, task).run();
        boolean interrupted = false;
        for (Thread t : started) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                    failure.compareAndSet(null, e);
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        } else if (t instanceof Error e) {
            throw e;
        } else if (t != null) {
            throw new IllegalStateException(name + ": interrupted", t);
        }
    }

    private static Runnable body(int n, int block, int blocks, int worker, AtomicInteger next, AtomicReference<Throwable> failure,
                                 RangeTask task) {
        return () -> {
            try {
                int b;
                while (failure.get() == null && (b = next.getAndIncrement()) < blocks) {
                    task.run(worker, b * block, Math.min(n, (b + 1) * block));
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        };
    }
}
