package dev.mfrecs.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.devkit.node.SharedNode;
import dev.mfrecs.evaluation.EvaluationCommand;
import dev.mfrecs.trainer.cli.CommandLines;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.es.InteractionReader;
import dev.mfrecs.trainer.es.ReadPlan;
import dev.mfrecs.trainer.log.ProgressLog;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code evaluate --es} and {@code tune --es} on a real node read the interactions index with the training recipe (event weights,
 * window, binarization): the data they score on is exactly what the trainer's reader reads with the same options.
 */
class EvaluateFromIndexIT {

    @TempDir
    Path dir;

    private StringWriter err;

    @BeforeAll
    static void load() throws IOException {
        SyntheticShop.ensureLoadedAndTrained();
    }

    private int run(String... args) {
        err = new StringWriter();
        CommandLine cli = CommandLines.of(new EvaluationCommand());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    /** What the trainer's reader reads with {@code fields} and {@code window}: users, items, pairs. */
    private static long[] trainerRead(InteractionFields fields, ReadPlan.Window window) throws IOException {
        ReadPlan plan = ReadPlan.of(SharedNode.client(), fields, window, DuplicatePolicy.SUM, Instant.now(), ProgressLog.stderr());
        InteractionMatrix.Accumulator acc = new InteractionMatrix.Accumulator(DuplicatePolicy.SUM);
        new InteractionReader(SharedNode.client(), plan).read(acc, ProgressLog.stderr());
        InteractionMatrix m = acc.build(1, 1, plan.recipe().binarizeThreshold());
        return new long[] { m.users().size(), m.items().size(), m.userItems().nnz() };
    }

    private static long[] dataset(JsonNode result) {
        JsonNode d = result.get("dataset");
        return new long[] { d.get("users").asLong(), d.get("items").asLong(), d.get("pairs").asLong() };
    }

    @Test
    void evaluateReadsWhatTheTrainerReads() throws IOException {
        String url = SharedNode.node().url();
        Path all = dir.resolve("all.json");
        assertEquals(0, run("evaluate", "--es", url, "--index", SyntheticShop.INDEX, "--weight", "purchase=1", "--weight", "cart=0.5",
            "--algorithm", "ials,popularity", "--param", "factors=8", "--param", "iterations=6", "--protocol", "holdout", "--threads", "2",
            "--json", all.toString()), err.toString());
        JsonNode results = new ObjectMapper().readTree(all.toFile());
        InteractionFields weighted = InteractionFields.defaults(SyntheticShop.INDEX).withWeights(Map.of("purchase", 1f, "cart", 0.5f));
        long[] expected = trainerRead(weighted, ReadPlan.Window.ALL);
        assertEquals(expected[2], dataset(results.get(0))[2], "pairs");
        assertEquals(expected[0], dataset(results.get(0))[0], "users");
        assertEquals(expected[1], dataset(results.get(0))[1], "items");
        double ials = results.get(0).get("metrics").get("ndcg@10").asDouble();
        double popularity = results.get(1).get("metrics").get("ndcg@10").asDouble();
        assertTrue(ials > popularity, "the shop's taste groups are learnable: ials " + ials + " vs popularity " + popularity);

        // a window and a binarization threshold select and weigh what the trainer would
        Path windowed = dir.resolve("windowed.json");
        Instant to = Instant.parse("2026-01-16T00:00:00Z");
        assertEquals(0, run("evaluate", "--es", url, "--index", SyntheticShop.INDEX, "--weight", "view=1", "--weight", "purchase=3",
            "--to", to.toString(), "--binarize-at", "2", "--algorithm", "popularity", "--protocol", "holdout", "--json",
            windowed.toString()),
            err.toString());
        long[] inWindow = trainerRead(InteractionFields.defaults(SyntheticShop.INDEX).withWeights(Map.of("view", 1f, "purchase", 3f)),
            new ReadPlan.Window(null, to, null, 2f));
        long[] got = dataset(new ObjectMapper().readTree(windowed.toFile()));
        assertEquals(inWindow[2], got[2], "pairs in the window at or above 2");
        assertTrue(got[2] < dataset(results.get(0))[2], "the window keeps fewer pairs: " + got[2]);
    }

    @Test
    void tuneReadsTheIndexToo() throws IOException {
        Path best = dir.resolve("best.json");
        assertEquals(0, run("tune", "--es", SharedNode.node().url(), "--index", SyntheticShop.INDEX, "--weight", "purchase=1",
            "--protocol", "strong", "--strong-users", "40", "--param", "iterations=4", "--grid", "factors=4,8", "--threads", "2",
            "--best", best.toString()), err.toString());
        JsonNode b = new ObjectMapper().readTree(best.toFile());
        assertEquals("ials", b.get("model").asText());
        assertTrue(b.get("test").get("users_evaluated").asInt() > 30, b.toString());
        assertEquals(2, run("evaluate", "--es", SharedNode.node().url(), "--index", SyntheticShop.INDEX, "--duplicates", "last"));
        assertTrue(err.toString().contains("[--duplicates] [last]"), err.toString());
    }
}
