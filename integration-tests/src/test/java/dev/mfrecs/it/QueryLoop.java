package dev.mfrecs.it;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.devkit.node.SharedNode;
import dev.mfrecs.trainer.es.RestJson;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the application sees while the lifecycle is being broken: one thread sending {@code mf_recommend} queries through a
 * model's items alias, up to {@value #PER_SECOND} a second, for stored users (their trained vector), folded-in users (an inline
 * history) and, when asked, stored users folded in from their events ({@code source: interactions}). Every answer must be a
 * 200 with exactly {@code k} hits; anything else (another status, a transport error, fewer hits) is counted, and the first few
 * are kept for the failure message. Closing it stops the loop after at least a minimum number of queries, so "0 errors" never
 * means "0 queries".
 */
public final class QueryLoop implements AutoCloseable {

    static final int K = 5;
    static final int MIN_QUERIES = 20;
    static final int PER_SECOND = 100;

    /** What the loop saw. */
    public record Result(long sent, long errors, long wrongSize, List<String> firstErrors) {
        public boolean clean() {
            return errors == 0 && wrongSize == 0;
        }

        public String describe() {
            return sent + " queries, " + errors + " errors, " + wrongSize + " wrong-size answers" + (firstErrors.isEmpty() ? ""
                : ", first: " + firstErrors);
        }
    }

    private final String model;
    private final List<String> users;
    private final List<String> historyItems;
    private final boolean fromInteractions;
    private final RestJson rest;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong wrongSize = new AtomicLong();
    private final List<String> firstErrors = new ArrayList<>();
    private final Thread thread;

    private QueryLoop(RestJson rest, String model, List<String> users, List<String> historyItems, boolean fromInteractions) {
        this.rest = rest;
        this.model = model;
        this.users = List.copyOf(users);
        this.historyItems = List.copyOf(historyItems);
        this.fromInteractions = fromInteractions;
        this.thread = new Thread(this::loop, "query-loop-" + model);
        this.thread.setDaemon(true);
    }

    /** Starts querying {@code model} for the given stored users and, as folded-in users, histories of the given items. */
    static QueryLoop start(String model, List<String> users, List<String> historyItems, boolean fromInteractions) {
        return start(SharedNode.rest(), model, users, historyItems, fromInteractions);
    }

    /** The same against another cluster (the internal-cluster test's). */
    public static QueryLoop start(RestJson rest, String model, List<String> users, List<String> historyItems, boolean fromInteractions) {
        QueryLoop loop = new QueryLoop(rest, model, users, historyItems, fromInteractions);
        loop.thread.start();
        return loop;
    }

    private void loop() {
        long n = 0;
        while (stop.get() == false) {
            if (n > 0) {
                pause();
            }
            String who = who(n++);
            String body = "{\"size\": " + K + ", \"query\": {\"mf_recommend\": {\"model\": \"" + model + "\", " + who + ", \"k\": " + K
                + "}}}";
            sent.incrementAndGet();
            try {
                RestJson.Response r = rest.post("/" + model + "-items/_search", body);
                JsonNode hits = r.body().path("hits").path("hits");
                if (r.status() != 200) {
                    errors.incrementAndGet();
                    remember(r.status() + " for " + who + ": " + r.body());
                } else if (hits.size() != K) {
                    wrongSize.incrementAndGet();
                    remember(hits.size() + " hits for " + who);
                }
            } catch (IOException e) {
                errors.incrementAndGet();
                remember(e + " for " + who);
            }
        }
    }

    /** A short pause between queries: a steady load (up to ~{@value #PER_SECOND}/s) that leaves the two cores to the lifecycle. */
    private static void pause() {
        try {
            Thread.sleep(1000 / PER_SECOND);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String who(long n) {
        int kinds = fromInteractions ? 3 : 2;
        int i = (int) (n / kinds);
        return switch ((int) (n % kinds)) {
            case 0 -> "\"user\": \"" + users.get(i % users.size()) + "\"";
            case 1 -> "\"history\": [\"" + historyItems.get(i % historyItems.size()) + "\", {\"item\": \"" + historyItems.get((i + 7)
                % historyItems.size()) + "\", \"value\": 3}]";
            default -> "\"user\": \"" + users.get((i * 31) % users.size()) + "\", \"source\": \"interactions\"";
        };
    }

    private void remember(String error) {
        synchronized (firstErrors) {
            if (firstErrors.size() < 3) {
                firstErrors.add(error.length() > 400 ? error.substring(0, 400) + "..." : error);
            }
        }
    }

    public long sent() {
        return sent.get();
    }

    /** Stops the loop (after at least {@value #MIN_QUERIES} queries) and returns what it saw. */
    public Result stop() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sent.get() < MIN_QUERIES && System.nanoTime() < deadline && thread.isAlive()) {
            Thread.sleep(20);
        }
        stop.set(true);
        thread.join(120_000);
        synchronized (firstErrors) {
            return new Result(sent.get(), errors.get(), wrongSize.get(), List.copyOf(firstErrors));
        }
    }

    /** Stops the loop if {@link #stop} was not called (a failed test): never leaves a thread querying. */
    @Override
    public void close() {
        stop.set(true);
        try {
            thread.join(120_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
