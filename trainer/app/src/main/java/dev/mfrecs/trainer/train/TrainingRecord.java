package dev.mfrecs.trainer.train;

import dev.mfrecs.contract.TrainingSummary;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.trainer.MfrecsVersion;
import dev.mfrecs.trainer.data.InteractionMatrix;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What every trained model records whatever its algorithm and engine: the {@link TrainingSummary} of a published version
 * (engine, trainer version, counts, timings), the popularity of items (pairs per item) and the most popular items, which the
 * plugin falls back to for a user with nothing to fold in; and the same counts for an offline model's {@code model.json}.
 */
public final class TrainingRecord {

    /** How many of the most popular items a model version records for the plugin's fallback. */
    public static final int POPULAR_ITEMS = 100;

    private TrainingRecord() {}

    /**
     * The summary of a run that trained {@code iterations} sweeps over the user x item matrix {@code m} built from {@code events}
     * events in {@code seconds}; {@code secondsPerIteration} is what the engine counts per sweep.
     */
    public static TrainingSummary summary(String engine, int iterations, String solver, long seed, CsrMatrix m, long events,
                                          double seconds, double secondsPerIteration, Map<String, Object> details) {
        return new TrainingSummary(engine, MfrecsVersion.get(), Instant.now(), iterations, solver, seed, events, m.nnz(), seconds,
            secondsPerIteration, details);
    }

    /** Pairs per item: the popularity the plugin's empty-history fallback ranks by. */
    public static float[] popularity(CsrMatrix m) {
        float[] popularity = new float[m.cols()];
        for (int k = 0; k < m.nnz(); k++) {
            popularity[m.indices()[k]] += 1f;
        }
        return popularity;
    }

    /** The {@value #POPULAR_ITEMS} most popular items, most popular first (ties by id order). */
    public static List<String> popularItems(List<String> ids, float[] popularity) {
        Integer[] order = new Integer[ids.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Float.compare(popularity[y], popularity[x]));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < Math.min(POPULAR_ITEMS, order.length); i++) {
            out.add(ids.get(order[i]));
        }
        return out;
    }

    /** The counts and timings an offline model's {@code model.json} records. */
    static void putOffline(Map<String, Object> meta, InteractionMatrix data, int iterations, double seconds) {
        CsrMatrix m = data.userItems();
        meta.put("user_count", m.rows());
        meta.put("item_count", m.cols());
        meta.put("pair_count", m.nnz());
        meta.put("event_count", data.events());
        meta.put("train_seconds", seconds);
        meta.put("seconds_per_iteration", iterations == 0 ? 0 : seconds / iterations);
        meta.put("created", Instant.now().toString());
        meta.put("trainer_version", MfrecsVersion.get());
    }
}
