package dev.mfrecs.contract;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a model version was trained, for operators and for comparing runs: the engine and trainer version, when, the solver
 * settings that do not change how the plugin folds users in (iterations, solver, seed), the data counts and the timings. The
 * plugin never interprets it; it is shown by {@code GET _mf/model} and {@code models list}.
 *
 * @param engine              {@code local} or {@code spark}
 * @param solver              the row solver ({@code cg}, {@code cholesky}) or the engine's own ({@code mllib})
 * @param details             engine-specific settings and timings (threads, cg steps, Spark blocks...): strings, numbers or
 *                            booleans only
 */
public record TrainingSummary(
    String engine,
    String trainerVersion,
    Instant created,
    int iterations,
    String solver,
    long seed,
    long eventCount,
    long pairCount,
    double trainSeconds,
    double secondsPerIteration,
    Map<String, Object> details
) {

    private static final String ENGINE = "engine";
    private static final String TRAINER_VERSION = "trainer_version";
    private static final String CREATED = "created";
    private static final String ITERATIONS = "iterations";
    private static final String SOLVER = "solver";
    private static final String SEED = "seed";
    private static final String EVENT_COUNT = "event_count";
    private static final String PAIR_COUNT = "pair_count";
    private static final String TRAIN_SECONDS = "train_seconds";
    private static final String SECONDS_PER_ITERATION = "seconds_per_iteration";
    private static final String DETAILS = "details";

    public TrainingSummary {
        if (engine == null || trainerVersion == null || created == null || solver == null) {
            throw new IllegalArgumentException("training summary needs [engine], [trainer_version], [created] and [solver]");
        }
        if (iterations < 0 || eventCount < 0 || pairCount < 0) {
            throw new IllegalArgumentException("training summary counts must be >= 0");
        }
        details = details == null ? Map.of() : Map.copyOf(details);
        for (Map.Entry<String, Object> e : details.entrySet()) {
            if ((e.getValue() instanceof String || e.getValue() instanceof Number || e.getValue() instanceof Boolean) == false) {
                throw new IllegalArgumentException("training detail [" + e.getKey() + "] must be a string, number or boolean");
            }
        }
    }

    /** The same summary with more engine details (later phases, e.g. publishing, add theirs). */
    public TrainingSummary withDetails(Map<String, Object> more) {
        Map<String, Object> all = new LinkedHashMap<>(details);
        all.putAll(more);
        return new TrainingSummary(engine, trainerVersion, created, iterations, solver, seed, eventCount, pairCount, trainSeconds,
            secondsPerIteration, all);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(ENGINE, engine);
        m.put(TRAINER_VERSION, trainerVersion);
        m.put(CREATED, created.toString());
        m.put(ITERATIONS, iterations);
        m.put(SOLVER, solver);
        m.put(SEED, seed);
        m.put(EVENT_COUNT, eventCount);
        m.put(PAIR_COUNT, pairCount);
        m.put(TRAIN_SECONDS, trainSeconds);
        m.put(SECONDS_PER_ITERATION, secondsPerIteration);
        m.put(DETAILS, new LinkedHashMap<>(details));
        return m;
    }

    static TrainingSummary read(MetadataReader r) {
        String created = r.string(CREATED);
        Instant at;
        try {
            at = Instant.parse(created);
        } catch (DateTimeParseException e) {
            throw r.invalid(CREATED, "not an ISO-8601 instant [" + created + "]");
        }
        TrainingSummary s = new TrainingSummary(r.string(ENGINE), r.string(TRAINER_VERSION), at, r.integer(ITERATIONS), r.string(SOLVER),
            r.longValue(SEED), r.longValue(EVENT_COUNT), r.longValue(PAIR_COUNT), r.doubleValue(TRAIN_SECONDS),
            r.doubleValue(SECONDS_PER_ITERATION), r.scalarMap(DETAILS));
        r.done();
        return s;
    }
}
