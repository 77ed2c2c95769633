package dev.mfrecs.trainer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mfrecs.trainer.settings.AlgorithmSettings;
import dev.mfrecs.trainer.settings.Hyperparameter;
import dev.mfrecs.trainer.train.Algorithm;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code train --params FILE} takes {@code tune --best}'s parameters for every algorithm on every path, the command line wins, and a
 * hyper-parameter the algorithm does not use is rejected the same way (exit code 2, the option named) whether the interactions come
 * from a file or from a cluster; the help shows the defaults table.
 */
class TrainParamsFileTest {

    @TempDir
    Path dir;

    private Path input;
    private StringWriter err;
    private StringWriter out;

    @BeforeEach
    void writeInput() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder();
        for (int u = 0; u < 60; u++) {
            for (int j = 0; j < 8; j++) {
                sb.append('u').append(u).append(',').append('i').append((u % 3) * 10 + random.nextInt(10)).append(',')
                    .append(1 + random.nextInt(5)).append('\n');
            }
        }
        input = dir.resolve("ratings.csv");
        Files.writeString(input, sb);
    }

    private int run(String... args) {
        err = new StringWriter();
        out = new StringWriter();
        CommandLine cli = CommandLines.of(new MfrecsCommand());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(out));
        return cli.execute(args);
    }

    private JsonNode modelJson(Path output) throws IOException {
        return new ObjectMapper().readTree(output.resolve("model.json").toFile());
    }

    @Test
    void theOfflinePathTakesEveryIalsParameterOfABestFileAndTheCommandLineWins() throws IOException {
        Path best = dir.resolve("best.json");
        Files.writeString(best, """
            {"model": "ials", "params": {"factors": 6.0, "iterations": 3, "regularization": 2.5, "alpha": 40, "confidence": "log",
             "epsilon": 0.5, "solver": "cholesky", "cg-steps": 2, "alpha0": 0.25, "nu": 1.0}, "metric": "ndcg@100"}""");
        Path output = dir.resolve("ials");
        assertEquals(0, run("train", "--input", input.toString(), "--output", output.toString(), "--params", best.toString(), "--alpha",
            "5"), err.toString());
        JsonNode meta = modelJson(output);
        assertEquals("ials", meta.get("algorithm").asText());
        assertEquals(6, meta.get("factors").asInt());
        JsonNode params = meta.get("params");
        assertEquals(3, params.get("iterations").asInt());
        assertEquals("cholesky", params.get("solver").asText());
        assertEquals(2.5, meta.get("regularization").asDouble(), 1e-6);
        assertEquals("log", meta.get("confidence").get("kind").asText());
        assertEquals(0.5, meta.get("confidence").get("epsilon").asDouble(), 1e-6);
        assertEquals(5.0, meta.get("confidence").get("alpha").asDouble(), 1e-6, "the command line wins over the file");
        assertEquals(0.25, meta.get("rendle").get("alpha0").asDouble(), 1e-6, "alpha0 from the file reaches the offline trainer");
        assertEquals(1.0, meta.get("rendle").get("nu").asDouble(), 1e-6);
    }

    @Test
    void aBestFileOfAnotherAlgorithmSetsTheAlgorithm() throws IOException {
        Path best = dir.resolve("funk.json");
        Files.writeString(best, """
            {"model": "funk",
             "params": {"factors": 4, "iterations": 3, "learning-rate": 0.02, "init-std": 0.05, "regularization": 0.1}}""");
        Path output = dir.resolve("funk");
        assertEquals(0, run("train", "--input", input.toString(), "--output", output.toString(), "--params", best.toString()),
            err.toString());
        JsonNode meta = modelJson(output);
        assertEquals("funk", meta.get("algorithm").asText());
        assertEquals(0.02, meta.get("params").get("learning-rate").asDouble(), 1e-9);
        assertEquals(0.05, meta.get("params").get("init-std").asDouble(), 1e-9);

        assertEquals(2, run("train", "--input", input.toString(), "--output", dir.resolve("x").toString(), "--params", best.toString(),
            "--algorithm", "ials"));
        assertTrue(err.toString().contains("[--params]") && err.toString().contains("[funk]"), err.toString());
        assertFalse(Files.exists(dir.resolve("x")), "nothing is written on a usage error");
    }

    @Test
    void aParameterTheAlgorithmDoesNotUseIsRejectedTheSameWayOnBothPaths() {
        String[] file = { "train", "--input", input.toString(), "--output", dir.resolve("unused").toString() };
        String[] cluster = { "train", "--es", "http://127.0.0.1:9", "--model", "m" };
        for (String[] path : new String[][] { file, cluster }) {
            assertEquals(2, run(concat(path, "--algorithm", "als", "--alpha0", "5")), String.join(" ", path));
            assertTrue(err.toString().contains("[--alpha0] is not used by algorithm [als] (only by [ials])"), err.toString());
            assertEquals(2, run(concat(path, "--algorithm", "als", "--cg-steps", "2")));
            assertTrue(err.toString().contains("[--cg-steps] is not used by algorithm [als]"), err.toString());
            assertEquals(2, run(concat(path, "--learning-rate", "0.1")), "ials has no learning rate");
            assertTrue(err.toString().contains("[--learning-rate] is not used by algorithm [ials] (only by [funk])"), err.toString());
            assertEquals(2, run(concat(path, "--nu", "-1")));
            assertTrue(err.toString().contains("[--nu] must be >= 0 (was [-1])"), err.toString());
            assertEquals(2, run(concat(path, "--factors", "2.5")));
            assertTrue(err.toString().contains("[--factors] must be a whole number (was [2.5])"), err.toString());
            assertEquals(2, run(concat(path, "--confidence", "cubic")));
            assertTrue(err.toString().contains("[--confidence] must be one of [linear, log] (was [cubic])"), err.toString());
        }
        assertFalse(Files.exists(dir.resolve("unused")), "nothing is written on a usage error");
    }

    @Test
    void theClusterPathReadsTheBestFileBeforeConnecting() throws IOException {
        Path best = dir.resolve("als.json");
        Files.writeString(best, "{\"model\": \"als\", \"params\": {\"factors\": 8, \"regularization\": 0.5}}");
        // the file sets the algorithm to als on the --es path too, so an ials-only option is refused before any connection
        assertEquals(2, run("train", "--es", "http://127.0.0.1:9", "--model", "m", "--params", best.toString(), "--alpha0", "5"));
        assertTrue(err.toString().contains("[--alpha0] is not used by algorithm [als]"), err.toString());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"model\": \"als\", \"params\": {\"alpha\": 3}}");
        assertEquals(2, run("train", "--es", "http://127.0.0.1:9", "--model", "m", "--params", bad.toString()));
        assertTrue(err.toString().contains("[--params alpha] is not used by algorithm [als]"), err.toString());
    }

    @Test
    void theHelpShowsEachParameterWithItsDefaultsFromTheTable() {
        assertEquals(0, run("train", "--help"));
        String help = out.toString().replaceAll("\\s+", " ");
        for (Hyperparameter h : Hyperparameter.values()) {
            assertTrue(help.contains("--" + h.cliName() + "="), "option --" + h.cliName());
            assertTrue(help.contains(AlgorithmSettings.describe(h)), "help of --" + h.cliName() + ": " + AlgorithmSettings.describe(h));
            for (Algorithm a : Algorithm.values()) {
                String d = AlgorithmSettings.DEFAULTS.get(a).get(h);
                assertTrue(d == null || AlgorithmSettings.describe(h).contains(d), a + " default of " + h + " in the help");
            }
        }
    }

    private static String[] concat(String[] head, String... tail) {
        String[] all = new String[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }
}
