package dev.mfrecs.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mfrecs.trainer.cli.CommandLines;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file in MovieLens {@code user::item::rating::timestamp} format (what users bring) through {@code recsys evaluate} on every
 * protocol, read by the production file reader. The file is generated with a planted structure: ratings are
 * {@code mu + b_u + b_i + p_u . q_i + noise} (rank 3), rounded and clamped to 1..5, and which items a user rates also follows
 * {@code p_u . q_i} and a popularity skew, as in real data. So a model with factors must beat the biases-only baseline on RMSE, and
 * implicit ALS must beat popularity on ranking.
 */
class MovieLensFileEndToEndTest {

    private static final int USERS = 400;
    private static final int ITEMS = 150;
    private static final int RANK = 3;
    private static final int PER_USER = 30;
    private static final String MODELS = "ials,als,svd,funk,popularity,item-knn,biases";
    private static final String[] PARAMS = { "--param", "factors=4", "--param", "iterations=10" };

    @TempDir
    static Path dir;

    private static Path ratings;

    @BeforeAll
    static void writeRatings() throws IOException {
        SplittableRandom random = new SplittableRandom(2024);
        double mu = 3.0;
        double[] userBias = gaussians(random, USERS, 0.4);
        double[] itemBias = gaussians(random, ITEMS, 0.5);
        double[] p = gaussians(random, USERS * RANK, 0.7);
        double[] q = gaussians(random, ITEMS * RANK, 0.7);
        double[] popularity = new double[ITEMS];
        for (int i = 0; i < ITEMS; i++) {
            popularity[i] = -2.0 * i / ITEMS; // item 0 is the most popular
        }
        StringBuilder sb = new StringBuilder();
        long time = 978_300_000L;
        double[] weight = new double[ITEMS];
        for (int u = 0; u < USERS; u++) {
            double total = 0;
            for (int i = 0; i < ITEMS; i++) {
                weight[i] = Math.exp(1.5 * dot(p, u, q, i) + popularity[i]);
                total += weight[i];
            }
            for (int n = 0; n < PER_USER; n++) {
                int i = draw(weight, total, random);
                total -= weight[i];
                weight[i] = 0; // without replacement
                double r = mu + userBias[u] + itemBias[i] + dot(p, u, q, i) + 0.3 * random.nextGaussian();
                long rating = Math.max(1, Math.min(5, Math.round(r)));
                time += 1 + random.nextInt(600);
                sb.append(u + 1).append("::").append(1000 + i).append("::").append(rating).append("::").append(time).append('\n');
            }
        }
        ratings = dir.resolve("ratings.dat");
        Files.writeString(ratings, sb);
    }

    @Test
    void everyProtocolProducesMetricsAndTheFactorModelsBeatTheirBaselines() throws IOException {
        Map<String, JsonNode> leaveOneOut = evaluate("leave-one-out", MODELS, "--protocol", "leave-one-out");
        evaluate("leave-one-out-sampled-99", MODELS, "--protocol", "leave-one-out", "--sampled", "99");
        Map<String, JsonNode> holdout = evaluate("holdout", MODELS, "--protocol", "holdout");
        evaluate("strong", MODELS, "--protocol", "strong");
        Map<String, JsonNode> rated = evaluate("ratings-3-fold", "als,funk,biases", "--protocol", "ratings", "--folds", "3");

        double als = rated.get("als").get("metrics").get("rmse").asDouble();
        double biases = rated.get("biases").get("metrics").get("rmse").asDouble();
        assertTrue(als < 0.9 * biases, String.format(Locale.ROOT, "als RMSE %.4f must be at least 10%% below biases RMSE %.4f", als,
            biases));
        // which items a user rates follows p_u . q_i: implicit ALS must find it, popularity cannot
        double ials = holdout.get("ials").get("metrics").get("ndcg@10").asDouble();
        double popularity = holdout.get("popularity").get("metrics").get("ndcg@10").asDouble();
        assertTrue(ials > 1.5 * popularity, String.format(Locale.ROOT, "holdout: ials NDCG@10 %.4f must be 1.5x popularity's %.4f", ials,
            popularity));
        double ialsLoo = leaveOneOut.get("ials").get("metrics").get("ndcg@10").asDouble();
        double popularityLoo = leaveOneOut.get("popularity").get("metrics").get("ndcg@10").asDouble();
        assertTrue(ialsLoo > popularityLoo, String.format(Locale.ROOT, "leave-one-out: ials NDCG@10 %.4f must beat popularity's %.4f",
            ialsLoo, popularityLoo));
    }

    /** Runs {@code evaluate --json} through the real command line and checks the shape every protocol shares; results by model. */
    private static Map<String, JsonNode> evaluate(String protocolName, String models, String... protocol) throws IOException {
        Path json = dir.resolve(protocolName + ".json");
        List<String> args = new ArrayList<>(List.of("evaluate", "--input", ratings.toString(), "--algorithm", models, "--threads", "2",
            "--json", json.toString()));
        args.addAll(List.of(PARAMS));
        args.addAll(List.of(protocol));
        StringWriter err = new StringWriter();
        CommandLine cli = CommandLines.of(new EvaluationCommand());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, cli.execute(args.toArray(String[]::new)), err.toString());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        Map<String, JsonNode> byModel = new HashMap<>();
        for (JsonNode r : root) {
            String model = r.get("model").asText();
            assertEquals(protocolName, r.get("protocol").asText(), model);
            assertEquals(USERS, r.get("dataset").get("users").asInt(), "every user of the file is read");
            assertEquals(USERS * PER_USER, r.get("dataset").get("pairs").asInt(), "every line of the file is one pair");
            assertTrue(r.get("users_evaluated").asInt() > 0, model + " on " + protocolName + ": no user evaluated");
            assertTrue(r.get("metrics").size() > 0, model + " on " + protocolName + ": no metrics");
            r.get("metrics").fields().forEachRemaining(m -> assertTrue(Double.isFinite(m.getValue().asDouble(Double.NaN)) && m.getValue()
                .asDouble() >= 0, model + " on " + protocolName + ": " + m.getKey() + " = " + m.getValue()));
            byModel.put(model, r);
        }
        assertEquals(Set.of(models.split(",")), byModel.keySet(), "one result per model");
        assertEquals(byModel.size(), root.size(), "one result per model");
        return byModel;
    }

    private static double[] gaussians(SplittableRandom random, int n, double sd) {
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            out[j] = sd * random.nextGaussian();
        }
        return out;
    }

    private static double dot(double[] p, int u, double[] q, int i) {
        double s = 0;
        for (int f = 0; f < RANK; f++) {
            s += p[u * RANK + f] * q[i * RANK + f];
        }
        return s;
    }

    private static int draw(double[] weight, double total, SplittableRandom random) {
        double x = random.nextDouble() * total;
        int last = -1;
        for (int i = 0; i < weight.length; i++) {
            if (weight[i] > 0) {
                last = i;
                x -= weight[i];
                if (x < 0) {
                    return i;
                }
            }
        }
        return last;
    }
}
