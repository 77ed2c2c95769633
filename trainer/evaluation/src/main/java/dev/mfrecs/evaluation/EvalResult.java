package dev.mfrecs.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model's evaluation outcome, with the stable JSON form {@code evaluate --json} writes (documented in the README):
 * <pre>
 * {"model": "ials", "params": {"factors": 64.0, ...}, "protocol": "leave-one-out",
 *  "metrics": {"ndcg@10": .., "recall@10": .., "hr@10": .., "precision@10": .., "map@10": .., ..., "mrr": .., "coverage@20": ..},
 *  "train_seconds": .., "seconds_per_iteration": .., "users_evaluated": .., "dataset": {"users": .., "items": .., "pairs": ..}}
 * </pre>
 * The ratings protocol's metrics are {@code rmse} and {@code mae}. {@code seconds_per_iteration} is 0 for non-iterative models.
 */
public record EvalResult(String model, Map<String, Object> params, String protocol, Map<String, Double> metrics, double trainSeconds,
                         double secondsPerIteration, int usersEvaluated, int users, int items, int pairs) {

    public double metric(String name) {
        Double v = metrics.get(name);
        if (v == null) {
            throw new IllegalArgumentException("[--metric] [" + name + "] was not computed; have " + metrics.keySet());
        }
        return v;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model", model);
        out.put("params", params);
        out.put("protocol", protocol);
        out.put("metrics", metrics);
        out.put("train_seconds", trainSeconds);
        out.put("seconds_per_iteration", secondsPerIteration);
        out.put("users_evaluated", usersEvaluated);
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("users", users);
        dataset.put("items", items);
        dataset.put("pairs", pairs);
        out.put("dataset", dataset);
        return out;
    }

    /** Writes {@code value} as indented JSON. */
    public static void writeJson(Path file, Object value) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), value);
    }
}
