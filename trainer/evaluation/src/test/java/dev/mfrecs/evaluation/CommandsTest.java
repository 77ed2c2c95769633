package dev.mfrecs.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mfrecs.trainer.cli.CommandLines;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The subcommands end to end through the real command line: options, JSON schemas, error exit codes. */
class CommandsTest {

    @TempDir
    Path dir;

    private Path input;

    @BeforeEach
    void writeInput() throws IOException {
        Interactions d = SyntheticInteractions.lowRank(150, 60, 3, 10, 9);
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < d.size(); p++) {
            sb.append(d.users().id(d.user()[p])).append('\t').append(d.items().id(d.item()[p])).append('\t').append(d.value()[p])
                .append('\t').append(d.times()[p]).append('\n');
        }
        input = dir.resolve("interactions.tsv");
        Files.writeString(input, sb);
    }

    private int run(StringWriter err, String... args) {
        CommandLine cli = CommandLines.of(new EvaluationCommand());
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return cli.execute(args);
    }

    @Test
    void evaluateWritesTheDocumentedJsonSchema() throws IOException {
        Path json = dir.resolve("out/result.json");
        int code = run(new StringWriter(), "evaluate", "--input", input.toString(), "--algorithm", "ials", "--param", "factors=6",
            "--param", "iterations=4", "--threads", "2", "--json", json.toString());
        assertEquals(0, code);
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        List<String> keys = iterable(root.fieldNames());
        assertEquals(List.of("model", "params", "protocol", "metrics", "train_seconds", "seconds_per_iteration", "users_evaluated",
            "dataset"), keys);
        assertEquals("ials", root.get("model").asText());
        assertEquals(6.0, root.get("params").get("factors").asDouble());
        assertEquals("leave-one-out", root.get("protocol").asText());
        assertEquals(150, root.get("users_evaluated").asInt());
        for (String m : List.of("ndcg@10", "recall@20", "hr@10", "precision@10", "map@10", "mrr", "coverage@20")) {
            double v = root.get("metrics").get(m).asDouble(-1);
            assertTrue(v >= 0 && v <= 1, m + " = " + v);
        }
        assertTrue(root.get("seconds_per_iteration").asDouble() > 0);
    }

    @Test
    void evaluateSeveralModelsWritesAnArray() throws IOException {
        Path json = dir.resolve("many.json");
        assertEquals(0, run(new StringWriter(), "evaluate", "--input", input.toString(), "--algorithm", "popularity,item-knn", "--protocol",
            "holdout", "--json", json.toString()));
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertEquals(2, root.size());
        assertEquals("item-knn", root.get(1).get("model").asText());
        assertEquals("holdout", root.get(1).get("protocol").asText());
    }

    @Test
    void badValuesExitWithUsageCodeAndNameTheOption() throws IOException {
        StringWriter err = new StringWriter();
        assertEquals(2, run(err, "evaluate", "--input", input.toString(), "--protocol", "kfold"));
        assertTrue(err.toString().contains("[--protocol]") && err.toString().contains("[kfold]"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(err, "evaluate", "--input", input.toString(), "--protocol", "holdout", "--sampled", "99"));
        assertTrue(err.toString().contains("[--sampled]"), err.toString());
        err = new StringWriter();
        assertEquals(2, run(err, "evaluate", "--input", input.toString(), "--param", "depth=3"));
        assertTrue(err.toString().contains("[--param]") && err.toString().contains("[depth]"), err.toString());
        err = new StringWriter();
        Path ragged = dir.resolve("ragged.csv");
        Files.writeString(ragged, "u1,i1,3\nu2\n");
        assertEquals(2, run(err, "evaluate", "--input", ragged.toString()));
        assertTrue(err.toString().contains("[ragged.csv] line 2: expected 2 to 4 columns, got [1]"), "the train reader's error: " + err);
        err = new StringWriter();
        assertEquals(2, run(err, "tune", "--input", input.toString(), "--grid", "factors"));
        assertTrue(err.toString().contains("[--grid]") && err.toString().contains("[factors]"), err.toString());
    }

    @Test
    void tuneSelectsOnValidationAndWritesTheBestParameters() throws IOException {
        Path best = dir.resolve("best.json");
        assertEquals(0, run(new StringWriter(), "tune", "--input", input.toString(), "--grid", "factors=1,6", "--grid",
            "regularization=0.1", "--param", "iterations=6", "--threads", "2", "--best", best.toString()));
        JsonNode root = new ObjectMapper().readTree(best.toFile());
        assertEquals("ials", root.get("model").asText());
        // 3 taste clusters cannot be told apart by 1 factor
        assertEquals(6.0, root.get("params").get("factors").asDouble());
        assertEquals(6.0, root.get("params").get("iterations").asDouble());
        assertTrue(root.get("params").has("cg-steps"), "train's option names");
        assertTrue(root.get("test").get("metrics").get("ndcg@10").asDouble() > 0);
    }

    @Test
    void tuneGridsTheItemKnnNeighbourCount() throws IOException {
        Path best = dir.resolve("knn.json");
        StringWriter out = new StringWriter();
        CommandLine cli = CommandLines.of(new EvaluationCommand());
        cli.setErr(new PrintWriter(new StringWriter()));
        cli.setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("tune", "--input", input.toString(), "--algorithm", "item-knn", "--grid", "neighbors=1,30",
            "--protocol", "holdout", "--threads", "2", "--best", best.toString()));
        assertTrue(out.toString().contains("item-knn(neighbors=1)") && out.toString().contains("item-knn(neighbors=30)"), out.toString());
        JsonNode root = new ObjectMapper().readTree(best.toFile());
        assertEquals("item-knn", root.get("model").asText());
        Interactions d = SyntheticInteractions.lowRank(150, 60, 3, 10, 9);
        EvalOptions holdout = EvalOptions.defaults(Protocol.HOLDOUT, 42, 2);
        Tuner.Outcome o = Tuner.tune("item-knn", Map.of(), Grid.parse(List.of("neighbors=1,30")), d, holdout, "ndcg@10", null);
        double one = o.rows().get(0).validation().metric("ndcg@10");
        double thirty = o.rows().get(1).validation().metric("ndcg@10");
        assertTrue(one != thirty, "the neighbour count must change the scores: " + one);
        assertEquals(one > thirty ? 1 : 30, o.best().params().get("neighbors"));
        assertEquals(o.best().params().get("neighbors"), root.get("params").get("neighbors").asInt(), "the CLI picks the same point");
    }

    @Test
    void tunerNeverScoresGridPointsOnTheTestSplit() {
        Interactions d = SyntheticInteractions.lowRank(150, 60, 3, 10, 9);
        EvalOptions loo = EvalOptions.defaults(Protocol.LEAVE_ONE_OUT, 42, 2);
        Tuner.Outcome o = Tuner.tune("ials", Map.of("iterations", "3"), Grid.parse(List.of("factors=2,4")), d, loo, "ndcg@10", null);
        PairSplit outer = Splitter.split(d, loo);
        // the validation rows were computed on the training part only: one fewer pair per user than the test run's training data
        assertEquals(outer.train().length, o.rows().get(0).validation().pairs());
        assertEquals(d.size(), o.test().pairs());
        assertEquals(2, o.rows().size());
        double a = o.rows().get(0).validation().metric("ndcg@10");
        double b = o.rows().get(1).validation().metric("ndcg@10");
        assertEquals(a >= b ? 2 : 4, o.best().params().get("factors"));
    }

    private static List<String> iterable(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
