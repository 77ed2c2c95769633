package dev.mfrecs.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mfrecs.trainer.cli.CommandLines;
import dev.mfrecs.trainer.data.IdDictionary;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Item attribute files in the MovieLens movies.dat layout, and what evaluate does with them. */
class ItemAttributesTest {

    @TempDir
    Path dir;

    @Test
    void readsMovieLensLinesInLatin1() throws IOException {
        Path movies = dir.resolve("movies.dat");
        Files.write(movies, "1::Toy Story (1995)::Animation|Children's|Comedy\n2::Les Mis\u00e9rables (1995)::Drama\n"
            .getBytes(StandardCharsets.ISO_8859_1));
        ItemAttributes a = ItemAttributes.read(movies);
        assertEquals("Les Mis\u00e9rables (1995)", a.title("2"));
        assertEquals(List.of("Animation", "Children's", "Comedy"), a.categories().get("1"));
        assertEquals("Animation", a.firstCategory("1"));
        assertEquals("other", a.firstCategory("3"));
        assertEquals("3", a.title("3"));
        IdDictionary items = new IdDictionary();
        items.add("2");
        items.add("1");
        items.add("3");
        int[][] ids = a.categoryIds(items);
        assertArrayEquals(new int[] { 0 }, ids[0]);
        assertArrayEquals(new int[] { 1, 2, 3 }, ids[1]);
        assertArrayEquals(new int[0], ids[2]);
        assertEquals(2, a.covered(items));
    }

    @Test
    void badLinesNameTheFileAndLine() throws IOException {
        Path tabs = dir.resolve("items.tsv");
        Files.writeString(tabs, "a\tA title\tX|Y\nb\tno genres\n");
        IOException e = assertThrows(IOException.class, () -> ItemAttributes.read(tabs));
        assertEquals("[items.tsv] line 2: expected id\ttitle\tcategories, got [2] fields", e.getMessage());
    }

    @Test
    void evaluateCountsCategoriesOfEachTopList() throws IOException {
        Interactions d = SyntheticInteractions.lowRank(120, 60, 3, 10, 9);
        StringBuilder log = new StringBuilder();
        for (int p = 0; p < d.size(); p++) {
            log.append(d.users().id(d.user()[p])).append(',').append(d.items().id(d.item()[p])).append(",1\n");
        }
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < d.itemCount(); i++) {
            // the three taste clusters are the "genres"
            String id = d.items().id(i);
            items.append(id).append("::Title of ").append(id).append("::G").append(Integer.parseInt(id.substring(1)) / 20).append('\n');
        }
        Path input = dir.resolve("log.csv");
        Path movies = dir.resolve("movies.dat");
        Files.writeString(input, log);
        Files.writeString(movies, items);
        Path json = dir.resolve("r.json");
        CommandLine cli = CommandLines.of(new EvaluationCommand());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        assertEquals(0, cli.execute("evaluate", "--input", input.toString(), "--items", movies.toString(), "--algorithm", "ials,popularity",
            "--param", "factors=6", "--param", "iterations=5", "--protocol", "holdout", "--json", json.toString()), err.toString());
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        double ials = r.get(0).get("metrics").get("categories@10").asDouble();
        double pop = r.get(1).get("metrics").get("categories@10").asDouble();
        assertTrue(ials >= 1 && ials <= 3 && pop >= 1 && pop <= 3, ials + " " + pop);
        // 85% of a user's items come from one cluster: the factor model's lists stay closer to it than the global popularity list
        assertTrue(ials < pop, "ials " + ials + " vs popularity " + pop);
        assertTrue(err.toString().contains("items: 60 of 60 described"), err.toString());
    }
}
