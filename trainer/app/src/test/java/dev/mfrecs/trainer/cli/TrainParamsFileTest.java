package dev.mfrecs.trainer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --params FILE} takes {@code tune --best}'s parameters, while options given on the command line win. */
class TrainParamsFileTest {

    @TempDir
    Path dir;

    private TrainCommand parse(String... args) {
        TrainCommand cmd = new TrainCommand();
        new CommandLine(cmd).parseArgs(concat("--es", "http://localhost:9200", args));
        return cmd;
    }

    @Test
    void bestFileParametersApplyUnlessGivenExplicitly() throws IOException {
        Path best = dir.resolve("best.json");
        Files.writeString(best, """
            {"model": "ials", "params": {"factors": 32.0, "iterations": 10.0, "regularization": 100.0, "alpha": 40.0, "cg-steps": 3.0},
             "metric": "ndcg@10"}""");
        TrainCommand cmd = parse("--model", "retail", "--params", best.toString(), "--alpha", "5");
        cmd.applyParamsFile();
        assertEquals(32, cmd.factors);
        assertEquals(10, cmd.iterations);
        assertEquals(100f, cmd.regularization);
        assertEquals(5f, cmd.alpha, "the command line wins");
    }

    @Test
    void otherModelsAreRejected() throws IOException {
        Path best = dir.resolve("svd.json");
        Files.writeString(best, "{\"model\": \"svd\", \"params\": {\"factors\": 8.0}}");
        TrainCommand cmd = parse("--model", "retail", "--params", best.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, cmd::applyParamsFile);
        assertTrue(e.getMessage().contains("[--params]") && e.getMessage().contains("[svd]"), e.getMessage());
    }

    private static String[] concat(String a, String b, String... rest) {
        String[] out = new String[rest.length + 2];
        out[0] = a;
        out[1] = b;
        System.arraycopy(rest, 0, out, 2, rest.length);
        return out;
    }
}
