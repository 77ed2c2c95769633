package dev.mfrecs.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mfrecs.trainer.cli.CommandLines;
import dev.mfrecs.trainer.cli.MfrecsCommand;
import dev.mfrecs.trainer.data.InteractionFileOptions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Split files written by {@code split} read back as exactly the carved split, and {@code evaluate} and {@code tune} score on them. */
class SplitFilesTest {

    @TempDir
    Path dir;

    private StringWriter out;
    private StringWriter err;

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cli = CommandLines.of(new EvaluationCommand());
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private Path writeLog(Interactions d) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int p = 0; p < d.size(); p++) {
            sb.append(d.users().id(d.user()[p])).append('\t').append(d.items().id(d.item()[p])).append('\t').append(d.value()[p])
                .append('\t').append(d.times()[p]).append('\n');
        }
        Path file = dir.resolve("log.tsv");
        Files.writeString(file, sb);
        return file;
    }

    /** The (user id, item id) pairs at {@code pairs} of {@code data}. */
    private static Set<String> ids(Interactions data, int[] pairs) {
        Set<String> out = new HashSet<>();
        for (int p : pairs) {
            out.add(data.users().id(data.user()[p]) + "/" + data.items().id(data.item()[p]));
        }
        return out;
    }

    @Test
    void strongSplitFilesReadBackAsTheCarvedSplit() throws IOException {
        Interactions d = SyntheticInteractions.lowRank(300, 120, 4, 12, 5);
        Path log = writeLog(d);
        Path split = dir.resolve("split");
        assertEquals(0, run("split", "--input", log.toString(), "--protocol", "strong", "--strong-users", "40", "--out",
            split.toString()), err.toString());
        assertTrue(out.toString().contains("--test-heldout " + split.resolve("test_heldout.tsv")), out.toString());

        EvalOptions options = new EvalOptions(Protocol.STRONG, new int[] { 10 }, 0, 0.2, 40, 1, 42, 2);
        PairSplit test = Splitter.split(d, options);
        PairSplit validation = Tuner.carveValidation(d, test, options);
        SplitFiles files = SplitFiles.load(new SplitFiles.Paths(split.resolve("train.tsv"), null, split.resolve("test_foldin.tsv"),
            split.resolve("test_heldout.tsv"), null, split.resolve("validation_foldin.tsv"), split.resolve("validation_heldout.tsv")),
            InteractionFileOptions.implicit(), Float.NEGATIVE_INFINITY, false);
        Interactions f = files.data();
        assertTrue(files.strong());
        assertEquals(ids(d, validation.train()), ids(f, files.test().train()), "the train file holds neither test nor validation users");
        assertEquals(ids(d, test.foldIn()), ids(f, files.test().foldIn()));
        assertEquals(ids(d, test.test()), ids(f, files.test().test()));
        assertEquals(ids(d, validation.foldIn()), ids(f, files.validation().foldIn()));
        assertEquals(ids(d, validation.test()), ids(f, files.validation().test()));
        Set<String> testUsers = new HashSet<>();
        for (int p : test.foldIn()) {
            testUsers.add(d.users().id(d.user()[p]));
        }
        assertEquals(40, testUsers.size(), "--strong-users 40 holds out exactly 40 users");
        assertEquals(0, files.dropped(), "the carved split already dropped untrained items");
    }

    @Test
    void evaluateAndTuneScoreOnGivenStrongFiles() throws IOException {
        Interactions d = SyntheticInteractions.lowRank(300, 120, 4, 12, 6);
        Path split = dir.resolve("split");
        assertEquals(0, run("split", "--input", writeLog(d).toString(), "--protocol", "strong", "--strong-users", "50", "--out",
            split.toString()));
        String[] test = { "--protocol", "strong", "--train", split.resolve("train.tsv").toString(), "--test-foldin",
            split.resolve("test_foldin.tsv").toString(), "--test-heldout", split.resolve("test_heldout.tsv").toString() };
        Path json = dir.resolve("eval.json");
        assertEquals(0, run(concat(new String[] { "evaluate", "--algorithm", "ials", "--param", "factors=6", "--param", "iterations=4",
            "--k", "10,100", "--json", json.toString() }, test)), err.toString());
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        long trainPairs = Files.lines(split.resolve("train.tsv")).count();
        long foldIn = Files.lines(split.resolve("test_foldin.tsv")).count();
        long heldOut = Files.lines(split.resolve("test_heldout.tsv")).count();
        assertEquals(trainPairs + foldIn + heldOut, r.get("dataset").get("pairs").asLong());
        assertTrue(r.get("users_evaluated").asInt() > 40 && r.get("users_evaluated").asInt() <= 50, r.toString());
        for (String m : List.of("ndcg@100", "novelty@10", "diversity@10", "popularity-rank@10", "coverage@100")) {
            assertTrue(r.get("metrics").has(m), m + " in " + r.get("metrics"));
        }

        Path best = dir.resolve("best.json");
        assertEquals(0, run(concat(new String[] { "tune", "--algorithm", "ials", "--param", "iterations=4", "--grid", "factors=2,6",
            "--grid", "confidence=linear,log", "--metric", "ndcg@10", "--validation-foldin", split.resolve("validation_foldin.tsv")
            .toString(), "--validation-heldout", split.resolve("validation_heldout.tsv").toString(), "--best", best.toString() }, test)),
            err.toString());
        JsonNode b = new ObjectMapper().readTree(best.toFile());
        assertTrue(List.of("linear", "log").contains(b.get("params").get("confidence").asText()), b.toString());
        assertEquals(trainPairs + foldIn + heldOut, b.get("test").get("dataset").get("pairs").asLong(), "the winner is scored on test");
        assertTrue(err.toString().contains("validation from files"), err.toString());
    }

    @Test
    void weakFilesAndAStrongFileOfAnUntrainedItem() throws IOException {
        Path train = dir.resolve("train.tsv");
        Path test = dir.resolve("test.tsv");
        Files.writeString(train, "u1\ta\t1\nu1\tb\t1\nu2\ta\t1\nu2\tc\t1\nu3\tb\t1\nu3\tc\t1\n");
        Files.writeString(test, "u1\tc\t1\nu2\tb\t1\n");
        Path json = dir.resolve("weak.json");
        assertEquals(0, run("evaluate", "--protocol", "holdout", "--algorithm", "popularity", "--train", train.toString(), "--test",
            test.toString(), "--json", json.toString()), err.toString());
        assertEquals(2, new ObjectMapper().readTree(json.toFile()).get("users_evaluated").asInt());

        Path foldIn = dir.resolve("foldin.tsv");
        Path heldOut = dir.resolve("heldout.tsv");
        Files.writeString(foldIn, "u9\ta\t1\nu9\tz\t1\n");
        Files.writeString(heldOut, "u9\tb\t1\nu9\ty\t1\n");
        SplitFiles files = SplitFiles.load(new SplitFiles.Paths(train, null, foldIn, heldOut, null, null, null),
            InteractionFileOptions.implicit(), Float.NEGATIVE_INFINITY, false);
        assertEquals(2, files.dropped(), "z and y have no training pair");
        assertEquals(Set.of("u9/b"), ids(files.data(), files.test().test()));
        assertEquals(Set.of("u9/a"), ids(files.data(), files.test().foldIn()));
    }

    @Test
    void splitFileMistakesAreUsageErrorsNamingTheOptions() throws IOException {
        Path f = dir.resolve("f.tsv");
        Files.writeString(f, "u1\ta\t1\nu2\tb\t1\n");
        assertEquals(2, run("evaluate", "--train", f.toString(), "--test-foldin", f.toString()));
        assertTrue(err.toString().contains("[--test-heldout]"), err.toString());
        assertEquals(2, run("evaluate", "--protocol", "holdout", "--train", f.toString(), "--test-foldin", f.toString(), "--test-heldout",
            f.toString()));
        assertTrue(err.toString().contains("--protocol strong"), err.toString());
        assertEquals(2, run("evaluate", "--protocol", "strong", "--train", f.toString(), "--test", f.toString()));
        assertTrue(err.toString().contains("[--test-foldin]"), err.toString());
        assertEquals(2, run("evaluate", "--train", f.toString(), "--test", f.toString(), "--validation", f.toString()));
        assertTrue(err.toString().contains("are for tune"), err.toString());
        assertEquals(2, run("evaluate", "--train", f.toString(), "--test", f.toString(), "--input", f.toString()), "one source");
        assertEquals(2, run("evaluate", "--protocol", "strong", "--strong-users", "2.5", "--input", f.toString()));
        assertTrue(err.toString().contains("[--strong-users]"), err.toString());
        assertEquals(2, run("evaluate", "--input", f.toString(), "--weight", "purchase=1"));
        assertTrue(err.toString().contains("[--weight] is an option of the interactions index; it needs --es"), err.toString());
    }

    @Test
    void tuneWritesAFileTrainReadsWithEveryTunedParameter() throws IOException {
        Interactions d = SyntheticInteractions.lowRank(200, 80, 4, 10, 7);
        Path log = writeLog(d);
        Path best = dir.resolve("best.json");
        assertEquals(0, run("tune", "--input", log.toString(), "--protocol", "strong", "--strong-users", "30", "--param", "factors=4",
            "--param", "iterations=3", "--grid", "confidence=linear,log", "--grid", "alpha0=0.5,1", "--grid", "nu=0,1", "--best",
            best.toString()), err.toString());
        JsonNode tuned = new ObjectMapper().readTree(best.toFile()).get("params");
        Path model = dir.resolve("model");
        CommandLine train = CommandLines.of(new MfrecsCommand());
        train.setErr(new PrintWriter(new StringWriter()));
        train.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, train.execute("train", "--input", log.toString(), "--output", model.toString(), "--params", best.toString()));
        JsonNode params = new ObjectMapper().readTree(model.resolve("model.json").toFile()).get("params");
        for (String name : List.of("factors", "iterations", "regularization", "alpha", "confidence", "epsilon", "solver", "cg-steps",
            "alpha0", "nu")) {
            assertEquals(tuned.get(name).asText(), params.get(name).asText(), name);
        }
        assertFalse(Map.of().equals(tuned), "the best file has parameters");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
