package dev.mfrecs.contract;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The record of one training run, successful or not, in the hidden index {@value ModelIndices#RUNS_INDEX}: when it ran and
 * where, how it ended, what it read, skipped and trained on, how long each phase took, what the publish gate measured, the
 * version it published and the error that stopped it. Written by the trainer at the end of every run (also a refused or
 * failed one), listed by {@code models runs} and shown by {@code GET _mf/model/<model>}, so an operator can tell what the 3 a.m.
 * run did without its logs.
 *
 * @param outcome  {@link Outcome}
 * @param version  the version published, or null
 * @param counts   named counts (events read, invalid events skipped, pairs, users, items, catalog fields skipped...)
 * @param seconds  named phase timings (read, train, write, swap, total)
 * @param gate     the gate's measurements (metric values of the new and the live model), empty without a gate
 * @param error    why the run did not publish, or null
 */
public record TrainingRun(
    String runId,
    String model,
    String host,
    Instant started,
    Instant ended,
    Outcome outcome,
    Integer version,
    Map<String, Long> counts,
    Map<String, Double> seconds,
    Map<String, Object> gate,
    String error
) {

    /** How a run ended. */
    public enum Outcome {
        /** A new version is live. */
        PUBLISHED,
        /** Nothing was published on purpose: the gate refused it, or an operator pinned a rolled-back version. */
        REFUSED,
        /** Another run held the model's lock; this one did nothing. */
        SKIPPED,
        /** An error stopped the run; the previous version keeps serving. */
        FAILED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final String RUN_ID = "run_id";
    /** The field holding the model name: what listings of a model's runs query. */
    public static final String MODEL = "model";
    private static final String HOST = "host";
    /** The field holding the start time: what listings sort by. */
    public static final String STARTED = "started";
    private static final String ENDED = "ended";
    private static final String OUTCOME = "outcome";
    private static final String VERSION = "version";
    private static final String COUNTS = "counts";
    private static final String SECONDS = "seconds";
    private static final String GATE = "gate";
    private static final String ERROR = "error";

    public TrainingRun {
        if (runId == null || model == null || host == null || started == null || ended == null || outcome == null) {
            throw new IllegalArgumentException("a training run needs its id, model, host, times and outcome");
        }
        counts = counts == null ? Map.of() : Map.copyOf(counts);
        seconds = seconds == null ? Map.of() : Map.copyOf(seconds);
        gate = gate == null ? Map.of() : Map.copyOf(gate);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(RUN_ID, runId);
        m.put(MODEL, model);
        m.put(HOST, host);
        m.put(STARTED, started.toString());
        m.put(ENDED, ended.toString());
        m.put(OUTCOME, outcome.id());
        m.put(VERSION, version);
        m.put(COUNTS, new LinkedHashMap<>(counts));
        m.put(SECONDS, new LinkedHashMap<>(seconds));
        m.put(GATE, new LinkedHashMap<>(gate));
        m.put(ERROR, error);
        return m;
    }

    public static TrainingRun fromMap(String id, Map<String, Object> source) {
        MetadataReader r = MetadataReader.of(id, source);
        String runId = r.string(RUN_ID);
        String model = r.string(MODEL);
        String host = r.string(HOST);
        Instant started = ModelLockDocument.instant(r, STARTED);
        Instant ended = ModelLockDocument.instant(r, ENDED);
        Outcome outcome;
        try {
            outcome = Outcome.valueOf(r.string(OUTCOME).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw r.invalid(OUTCOME, "unknown outcome");
        }
        Long version = r.optionalLong(VERSION);
        Map<String, Long> counts = new LinkedHashMap<>();
        r.scalarMap(COUNTS).forEach((k, v) -> counts.put(k, ((Number) v).longValue()));
        Map<String, Double> seconds = new LinkedHashMap<>();
        r.scalarMap(SECONDS).forEach((k, v) -> seconds.put(k, ((Number) v).doubleValue()));
        Map<String, Object> gate = r.scalarMap(GATE);
        String error = r.optionalString(ERROR);
        r.done();
        return new TrainingRun(runId, model, host, started, ended, outcome, version == null ? null : version.intValue(), counts, seconds,
            gate, error);
    }
}
