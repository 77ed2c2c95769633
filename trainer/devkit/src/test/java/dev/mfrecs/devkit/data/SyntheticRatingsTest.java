package dev.mfrecs.devkit.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The synthetic rating log has the requested shape, MovieLens 1M's share of positives, one seed, and a structure in it. */
class SyntheticRatingsTest {

    @TempDir
    Path dir;

    private static final SyntheticRatings.Shape SMALL = new SyntheticRatings.Shape(400, 300, 24_000, 20, 8, 3.0, 0.7, 5);

    @Test
    void shapeAndShareOfPositives() {
        SyntheticRatings.Log log = SyntheticRatings.generate(SMALL);
        assertEquals(SMALL.ratings(), log.size(), SMALL.users(), "the total is met up to per-user rounding");
        int[] perUser = new int[SMALL.users()];
        boolean[][] seen = new boolean[SMALL.users()][SMALL.items()];
        int positives = 0;
        for (int k = 0; k < log.size(); k++) {
            perUser[log.user()[k]]++;
            assertFalse(seen[log.user()[k]][log.item()[k]], "a user rates an item once");
            seen[log.user()[k]][log.item()[k]] = true;
            assertTrue(log.rating()[k] >= 1 && log.rating()[k] <= 5);
            assertTrue(log.seconds()[k] >= SyntheticRatings.START && log.seconds()[k] <= SyntheticRatings.END);
            positives += log.rating()[k] >= 4 ? 1 : 0;
        }
        assertTrue(Arrays.stream(perUser).min().getAsInt() >= SMALL.minPerUser());
        assertTrue(Arrays.stream(perUser).max().getAsInt() <= Math.round(0.62 * SMALL.items()));
        assertEquals(SyntheticRatings.POSITIVE_SHARE, positives / (double) log.size(), 0.01);
        int genres = Arrays.stream(log.itemGenres()).mapToInt(g -> g.length).max().getAsInt();
        assertTrue(genres >= 1 && genres <= 3);
    }

    @Test
    void topKOrdersPositiveAndNegativeKeysLikeDoubles() {
        double[] keys = { -3.5, 2.0, -0.25, 7.75, 0.0, -100.0, 2.5 };
        assertArrayEquals(new int[] { 3, 6, 1, 4, 2, 0 }, SyntheticRatings.topK(keys, 6));
        SplittableRandom random = new SplittableRandom(1);
        double[] many = new double[500];
        for (int i = 0; i < many.length; i++) {
            many[i] = random.nextGaussian() * 5;
        }
        int[] top = SyntheticRatings.topK(many, 500);
        for (int j = 1; j < top.length; j++) {
            assertTrue(many[top[j - 1]] >= many[top[j]], "position " + j);
        }
    }

    @Test
    void oneSeedOneLogAndItsFiles() throws IOException {
        SyntheticRatings.Log a = SyntheticRatings.generate(SMALL);
        SyntheticRatings.Log b = SyntheticRatings.generate(SMALL);
        assertArrayEquals(a.item(), b.item());
        assertArrayEquals(a.rating(), b.rating());
        SyntheticRatings.Log other = SyntheticRatings.generate(new SyntheticRatings.Shape(400, 300, 24_000, 20, 8, 3.0, 0.7, 6));
        assertFalse(Arrays.equals(a.item(), other.item()));
        Path ratings = dir.resolve("ratings.dat");
        Path items = dir.resolve("movies.dat");
        SyntheticRatings.write(a, ratings, items);
        List<String> lines = Files.readAllLines(ratings);
        assertEquals(a.size(), lines.size());
        String[] first = lines.get(0).split("::");
        assertEquals(4, first.length);
        assertEquals(Integer.toString(a.user()[0] + 1), first[0]);
        List<String> movies = Files.readAllLines(items);
        assertEquals(SMALL.items(), movies.size());
        assertTrue(SyntheticRatings.GENRES.contains(movies.get(0).split("::")[2].split("\\|")[0]), movies.get(0));
    }

    @Test
    void usersRateTheirGenresMoreThanTheCatalogHasThem() {
        // the known structure: users sample by taste, so items sharing a genre with a user's most rated genre are over-represented
        SyntheticRatings.Log log = SyntheticRatings.generate(SMALL);
        int g = SyntheticRatings.GENRES.size();
        double[] catalog = new double[g];
        for (int[] genres : log.itemGenres()) {
            catalog[genres[0]]++;
        }
        double concentrated = 0;
        double uniform = 0;
        int[][] byUser = new int[SMALL.users()][g];
        for (int k = 0; k < log.size(); k++) {
            byUser[log.user()[k]][log.itemGenres()[log.item()[k]][0]]++;
        }
        for (int u = 0; u < SMALL.users(); u++) {
            int total = Arrays.stream(byUser[u]).sum();
            int top = 0;
            for (int k = 1; k < g; k++) {
                top = byUser[u][k] > byUser[u][top] ? k : top;
            }
            concentrated += byUser[u][top] / (double) total;
            uniform += catalog[top] / SMALL.items();
        }
        assertTrue(concentrated > 1.3 * uniform, "share of a user's top genre " + concentrated / SMALL.users() + " vs catalog "
            + uniform / SMALL.users());
    }
}
