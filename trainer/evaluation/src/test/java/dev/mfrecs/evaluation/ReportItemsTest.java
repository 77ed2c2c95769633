package dev.mfrecs.evaluation;

import dev.mfrecs.trainer.cli.CommandLines;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code report --input ... --items movies.dat}: the PCA is coloured by the items' first category and personas show titles. */
class ReportItemsTest {

    @TempDir
    Path dir;

    @Test
    void itemFileColoursThePcaAndNamesItems() throws IOException {
        Interactions d = SyntheticInteractions.lowRank(150, 60, 3, 10, 4);
        StringBuilder log = new StringBuilder();
        for (int p = 0; p < d.size(); p++) {
            log.append(d.users().id(d.user()[p])).append("::").append(d.items().id(d.item()[p])).append("::").append(d.value()[p])
                .append('\n');
        }
        String[] genres = { "Western", "Musical", "Film-Noir" };
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < d.itemCount(); i++) {
            String id = d.items().id(i);
            int cluster = Integer.parseInt(id.substring(1)) / 20;
            items.append(id).append("::Movie number ").append(id).append(" (1999)::").append(genres[cluster]).append("|Drama\n");
        }
        Path input = dir.resolve("ratings.dat");
        Path movies = dir.resolve("movies.dat");
        Files.writeString(input, log);
        Files.writeString(movies, items);
        CommandLine cli = CommandLines.of(new EvaluationCommand());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        Path out = dir.resolve("report");
        assertEquals(0, cli.execute("report", "--input", input.toString(), "--items", movies.toString(), "--out", out.toString(),
            "--algorithm", "popularity,ials", "--factors-grid", "4", "--reg-grid", "1", "--grid-iterations", "3", "--pca-items", "40",
            "--threads", "2"), err.toString());
        String html = Files.readString(out.resolve("index.html"));
        for (String g : genres) {
            assertTrue(html.contains(g), "the PCA legend names genre " + g);
        }
        assertTrue(html.contains("Movie number i"), "personas show titles");
        assertTrue(html.contains("first category in the item attribute file (60 of 60 items described"), "the note says where colours "
            + "come from");
    }
}
