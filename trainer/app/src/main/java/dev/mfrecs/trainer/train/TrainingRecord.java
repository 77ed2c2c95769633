package dev.mfrecs.trainer.train;

import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.trainer.data.InteractionMatrix;

import java.time.Instant;
import java.util.Map;

/**
 * The metadata every trained model version records whatever its algorithm: data counts, timings, creation time and
 * trainer version, plus item popularity (pairs per item) for the plugin's empty-history fallback.
 */
public final class TrainingRecord {

    public static final String TRAINER_VERSION = "0.1.0";

    private TrainingRecord() {}

    static void put(Map<String, Object> meta, InteractionMatrix data, int iterations, double seconds) {
        put(meta, data.userItems(), data.events(), iterations, seconds);
    }

    /**
     * The same for a trainer that built the user x item matrix {@code m} itself (the Spark engine) from {@code events}
     * events; {@code seconds_per_iteration} is {@code seconds / iterations}.
     */
    public static void put(Map<String, Object> meta, CsrMatrix m, long events, int iterations, double seconds) {
        meta.put("user_count", m.rows());
        meta.put("item_count", m.cols());
        meta.put("pair_count", m.nnz());
        meta.put("event_count", events);
        meta.put("train_seconds", seconds);
        meta.put("seconds_per_iteration", iterations == 0 ? 0 : seconds / iterations);
        meta.put("created", Instant.now().toString());
        meta.put("trainer_version", TRAINER_VERSION);
    }

    /** Pairs per item: the popularity the plugin's empty-history fallback ranks by. */
    public static float[] popularity(CsrMatrix m) {
        float[] popularity = new float[m.cols()];
        for (int k = 0; k < m.nnz(); k++) {
            popularity[m.indices()[k]] += 1f;
        }
        return popularity;
    }
}
