package dev.mfrecs.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs {@code recsys train --input} in-process on a synthetic low-rank interaction file and checks the written model: file
 * shapes, metadata, reproducibility, and that implicit ALS ranks held-out positives far above random.
 */
class TrainCommandOfflineTest {

    private static final int USERS = 400;
    private static final int ITEMS = 300;

    @TempDir
    static Path dir;

    static Path input;
    static Map<String, Set<String>> trainItems = new HashMap<>();
    static Map<String, String> heldOut = new HashMap<>();
    static double meanRating;

    /** Positives of a rank-4 score matrix above its 92nd percentile; one positive per user with 5 or more is held out. */
    @BeforeAll
    static void writeSyntheticFile() throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        int rank = 4;
        double[] u = new double[USERS * rank];
        double[] v = new double[ITEMS * rank];
        for (int k = 0; k < u.length; k++) {
            u[k] = random.nextGaussian();
        }
        for (int k = 0; k < v.length; k++) {
            v[k] = random.nextGaussian();
        }
        double[] scores = new double[USERS * ITEMS];
        for (int a = 0; a < USERS; a++) {
            for (int i = 0; i < ITEMS; i++) {
                double s = 0;
                for (int f = 0; f < rank; f++) {
                    s += u[a * rank + f] * v[i * rank + f];
                }
                scores[a * ITEMS + i] = s;
            }
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        double threshold = sorted[(int) (0.92 * sorted.length)];
        StringBuilder csv = new StringBuilder("user,item,count,timestamp\n");
        double ratingSum = 0;
        int ratings = 0;
        for (int a = 0; a < USERS; a++) {
            List<Integer> positives = new ArrayList<>();
            for (int i = 0; i < ITEMS; i++) {
                if (scores[a * ITEMS + i] > threshold) {
                    positives.add(i);
                }
            }
            int hold = positives.size() >= 5 ? positives.get(random.nextInt(positives.size())) : -1;
            String user = "u" + a;
            for (int i : positives) {
                if (i == hold) {
                    heldOut.put(user, "i" + i);
                    continue;
                }
                int count = 1 + random.nextInt(3);
                csv.append(user).append(',').append("i").append(i).append(',').append(count).append(',').append(1_700_000_000 + a)
                    .append('\n');
                trainItems.computeIfAbsent(user, k -> new HashSet<>()).add("i" + i);
                ratingSum += count;
                ratings++;
            }
        }
        meanRating = ratingSum / ratings;
        input = dir.resolve("interactions.csv");
        Files.writeString(input, csv, StandardCharsets.UTF_8);
        assertTrue(heldOut.size() > USERS / 2, "the generator must hold out positives for most users");
    }

    private static int run(String... args) {
        CommandLine cli = new CommandLine(new MfrecsCommand());
        cli.setErr(new PrintWriter(new StringWriter()));
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    private static Map<String, float[]> readFactors(Path file, int columns) throws IOException {
        Map<String, float[]> rows = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            assertEquals(columns + 1, f.length, "columns of [" + line + "]");
            float[] values = new float[columns];
            for (int k = 0; k < columns; k++) {
                values[k] = Float.parseFloat(f[k + 1]);
                assertTrue(Float.isFinite(values[k]));
            }
            assertEquals(null, rows.put(f[0], values), "duplicate id [" + f[0] + "]");
        }
        return rows;
    }

    private static JsonNode json(Path out) throws IOException {
        return new ObjectMapper().readTree(out.resolve("model.json").toFile());
    }

    @Test
    void implicitAlsWritesFactorsAndFoldInMetadataAndRanksHeldOutItemsHigh() throws IOException {
        int d = 8;
        Path out = dir.resolve("ials");
        assertEquals(0, run("train", "--input", input.toString(), "--algorithm", "ials", "--factors", String.valueOf(d), "--iterations",
            "10", "--regularization", "0.1", "--alpha", "5", "--confidence", "log", "--solver", "cg", "--cg-steps", "3", "--threads", "2",
            "--output", out.toString()));
        Map<String, float[]> items = readFactors(out.resolve("item_factors.tsv"), d);
        Map<String, float[]> users = readFactors(out.resolve("user_factors.tsv"), d);
        JsonNode meta = json(out);
        assertEquals("ials", meta.get("algorithm").asText());
        assertEquals(users.size(), meta.get("user_count").asInt());
        assertEquals(items.size(), meta.get("item_count").asInt());
        assertEquals(trainItems.values().stream().mapToInt(Set::size).sum(), meta.get("pair_count").asInt());
        assertEquals(trainItems.size(), users.size());
        assertEquals(d * d, meta.get("gram").size());
        assertEquals("log", meta.get("confidence").get("kind").asText());
        assertEquals(5.0, meta.get("confidence").get("alpha").asDouble(), 1e-6);
        assertEquals(0.1, meta.get("regularization").asDouble(), 1e-6);
        assertTrue(meta.get("train_seconds").asDouble() > 0);
        assertTrue(meta.get("seconds_per_iteration").asDouble() > 0);
        assertEquals("id, factors", meta.get("factor_file_columns").asText());
        assertEquals("sum", meta.get("input").get("duplicates").asText());
        // the Gram matrix written is Y^T Y of the written item factors
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                double g = 0;
                for (float[] y : items.values()) {
                    g += (double) y[a] * y[b];
                }
                assertEquals(g, meta.get("gram").get(a * d + b).asDouble(), 1e-3 * Math.max(1, Math.abs(g)));
            }
        }

        // mean percentile rank of each held-out item among the user's unseen items: 0 is best, random is 0.5
        double percentileSum = 0;
        int evaluated = 0;
        for (Map.Entry<String, String> e : heldOut.entrySet()) {
            float[] x = users.get(e.getKey());
            float[] target = items.get(e.getValue());
            if (x == null || target == null) {
                continue;
            }
            double targetScore = dot(x, target);
            int better = 0;
            int candidates = 0;
            for (Map.Entry<String, float[]> item : items.entrySet()) {
                if (trainItems.get(e.getKey()).contains(item.getKey()) || item.getKey().equals(e.getValue())) {
                    continue;
                }
                candidates++;
                if (dot(x, item.getValue()) > targetScore) {
                    better++;
                }
            }
            percentileSum += (double) better / candidates;
            evaluated++;
        }
        assertTrue(evaluated > USERS / 2, "evaluated [" + evaluated + "] users");
        double meanPercentile = percentileSum / evaluated;
        assertTrue(meanPercentile < 0.1, "held-out positives rank at mean percentile [" + meanPercentile + "], random is 0.5");
    }

    @Test
    void sameSeedGivesIdenticalFilesWhateverTheThreadCount() throws IOException {
        Path one = dir.resolve("seed-1-thread");
        Path two = dir.resolve("seed-2-threads");
        Path other = dir.resolve("other-seed");
        assertEquals(0, run("train", "--input", input.toString(), "--factors", "6", "--iterations", "3", "--threads", "1", "--output",
            one.toString()));
        assertEquals(0, run("train", "--input", input.toString(), "--factors", "6", "--iterations", "3", "--threads", "2", "--output",
            two.toString()));
        assertEquals(0, run("train", "--input", input.toString(), "--factors", "6", "--iterations", "3", "--seed", "43", "--output",
            other.toString()));
        for (String file : List.of("item_factors.tsv", "user_factors.tsv")) {
            assertArrayEquals(Files.readAllBytes(one.resolve(file)), Files.readAllBytes(two.resolve(file)), file);
            assertFalse(Arrays.equals(Files.readAllBytes(one.resolve(file)), Files.readAllBytes(other.resolve(file))), file);
        }
    }

    @Test
    void explicitAlsAndFunkWriteBiasColumnAndGlobalMean() throws IOException {
        int d = 5;
        for (String algorithm : List.of("als", "funk")) {
            Path out = dir.resolve(algorithm);
            List<String> args = new ArrayList<>(List.of("train", "--input", input.toString(), "--algorithm", algorithm, "--factors",
                String.valueOf(d), "--iterations", "5", "--output", out.toString()));
            if (algorithm.equals("funk")) {
                args.addAll(List.of("--learning-rate", "0.01")); // als has no learning rate and would reject it
            }
            assertEquals(0, run(args.toArray(String[]::new)), algorithm);
            Map<String, float[]> items = readFactors(out.resolve("item_factors.tsv"), d + 1);
            Map<String, float[]> users = readFactors(out.resolve("user_factors.tsv"), d + 1);
            JsonNode meta = json(out);
            assertEquals(algorithm, meta.get("algorithm").asText());
            assertEquals(items.size(), meta.get("item_count").asInt());
            assertEquals(users.size(), meta.get("user_count").asInt());
            assertEquals(meanRating, meta.get("global_mean").asDouble(), 1e-4, algorithm);
            assertEquals("id, bias, factors", meta.get("factor_file_columns").asText());
            assertEquals("last", meta.get("input").get("duplicates").asText());
            assertTrue(items.values().stream().anyMatch(row -> row[0] != 0f), algorithm + ": some item bias must be learned");
        }
        JsonNode funk = json(dir.resolve("funk"));
        assertEquals(0.01, funk.get("params").get("learning-rate").asDouble(), 1e-6);
    }

    @Test
    void pureSvdWritesFactorsAndSingularValues() throws IOException {
        int d = 4;
        Path out = dir.resolve("svd");
        assertEquals(0, run("train", "--input", input.toString(), "--algorithm", "svd", "--factors", String.valueOf(d), "--binarize",
            "--min-value", "2", "--output", out.toString()));
        Map<String, float[]> items = readFactors(out.resolve("item_factors.tsv"), d);
        JsonNode meta = json(out);
        assertEquals(items.size(), meta.get("item_count").asInt());
        assertEquals(d, meta.get("singular_values").size());
        assertTrue(meta.get("singular_values").get(0).asDouble() >= meta.get("singular_values").get(d - 1).asDouble());
        int kept = meta.get("pair_count").asInt();
        int all = trainItems.values().stream().mapToInt(Set::size).sum();
        assertTrue(kept < all && kept > 0, "--min-value 2 keeps [" + kept + "] of [" + all + "] pairs");
    }

    @Test
    void rendleOptionsReachTheOfflineTrainerAndItsMetadata() throws IOException {
        Path classic = dir.resolve("rendle-classic");
        Path rendle = dir.resolve("rendle-weighted");
        assertEquals(0, run("train", "--input", input.toString(), "--factors", "6", "--iterations", "3", "--output",
            classic.toString()));
        assertEquals(0, run("train", "--input", input.toString(), "--factors", "6", "--iterations", "3", "--alpha0", "0.25", "--nu",
            "1", "--output", rendle.toString()));
        assertEquals(null, json(classic).get("rendle"), "the classic objective records no Rendle options");
        JsonNode r = json(rendle).get("rendle");
        assertEquals(0.25, r.get("alpha0").asDouble(), 1e-6);
        assertEquals(1.0, r.get("nu").asDouble(), 1e-6);
        assertNotEquals(Files.readString(classic.resolve("item_factors.tsv")), Files.readString(rendle.resolve("item_factors.tsv")),
            "a different objective must give different factors");
        String in = input.toString();
        assertEquals(2, run("train", "--input", in, "--output", dir.resolve("unused-2").toString(), "--algorithm", "als", "--alpha0",
            "0.5"), "--alpha0 is ials-only");
        assertEquals(2, run("train", "--input", in, "--output", dir.resolve("unused-2").toString(), "--nu", "-1"), "negative nu");
        assertFalse(Files.exists(dir.resolve("unused-2")), "nothing may be written on a usage error");
    }

    @Test
    void badCombinationsAreUsageErrors() {
        String in = input.toString();
        String out = dir.resolve("unused").toString();
        assertEquals(2, run("train", "--input", in, "--es", "http://localhost:9", "--model", "m", "--output", out), "both sources");
        assertEquals(2, run("train", "--input", in), "--input without --output");
        assertEquals(2, run("train", "--es", "http://localhost:9"), "--es without --model");
        assertEquals(2, run("train", "--es", "http://localhost:9", "--model", "m", "--algorithm", "funk"), "--es trains ials only");
        assertEquals(2, run("train", "--es", "http://localhost:9", "--model", "m", "--min-value", "4"), "file-only option with --es");
        assertEquals(2, run("train", "--input", in, "--output", out, "--algorithm", "bpr"), "unknown algorithm");
        assertEquals(2, run("train", "--input", in, "--output", out, "--solver", "lu"), "unknown solver");
        assertEquals(2, run("train", "--input", in, "--output", out, "--duplicates", "max"), "unknown duplicates policy");
        assertEquals(2, run("train", "--input", in, "--output", out, "--force-merge"), "--force-merge is a publishing option");
        assertEquals(2, run("train", "--input", in, "--output", out, "--index-options", "hnsw"), "--index-options is a publishing option");
        assertEquals(2, run("train"), "no source");
        assertFalse(Files.exists(dir.resolve("unused")), "nothing may be written on a usage error");
        assertNotEquals(0, run("train", "--input", dir.resolve("missing.csv").toString(), "--output", out), "missing input");
    }

    @Test
    void badIndexOptionsAreUsageErrorsNamingTheOptionBeforeAnyConnection() {
        // Port 9 answers nothing: a usage error must come before the trainer tries to connect.
        for (String[] bad : new String[][] { {"ivf", "index type [ivf]"}, {"hnsw:m=1", "[m]"}, {"hnsw:m=16:ef_construction=8",
            "[ef_construction]"}, {"hnsw:oversample=3", "[oversample]"}, {"int8_hnsw:oversample=11", "[oversample]"},
            {"int8_hnsw:m=x", "[m]"}, {"hnsw:efc=100", "unknown key [efc]"}, {"hnsw:m", "[m]"} }) {
            StringWriter err = new StringWriter();
            CommandLine cli = new CommandLine(new MfrecsCommand());
            cli.setErr(new PrintWriter(err));
            cli.setOut(new PrintWriter(new StringWriter()));
            assertEquals(2, cli.execute("train", "--es", "http://localhost:9", "--model", "m", "--index-options", bad[0]), bad[0]);
            assertTrue(err.toString().contains("[--index-options]") && err.toString().contains(bad[1]), bad[0] + ": " + err);
        }
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) {
            s += (double) a[k] * b[k];
        }
        return s;
    }
}
