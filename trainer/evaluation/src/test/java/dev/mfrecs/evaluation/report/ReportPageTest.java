package dev.mfrecs.evaluation.report;

import dev.mfrecs.evaluation.Interactions;
import dev.mfrecs.evaluation.ModelSpec;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Generates the report on small synthetic data and checks the page: its structure as text, then as rendered by a real headless
 * Chromium (screenshot and serialized DOM). The browser half is skipped, with a message, where /usr/bin/chromium is absent.
 */
class ReportPageTest {

    /** Debian's chromium; {@code -Dmfrecs.chromium=PATH} points elsewhere (e.g. a missing path, to check the skip). */
    private static final Path CHROMIUM = Path.of(System.getProperty("mfrecs.chromium", "/usr/bin/chromium"));

    @TempDir
    static Path dir;

    static Path page;
    static String html;

    @BeforeAll
    static void generate() throws IOException {
        Interactions data = ReportFixtures.lowRank(200, 100, 4, 10, 3);
        Interactions ratings = ReportFixtures.ratings(data, 5);
        ReportConfig config = new ReportConfig(ModelSpec.MODELS, new double[] { 4, 8 }, new double[] { 0.1, 1 }, 3, 60, 42, 2);
        ReportInput input = new ReportInput("synthetic", data, id -> "Item <" + id + ">", ReportFixtures::clusterOf,
            "Colors: the synthetic taste cluster.", ratings, "Synthetic ratings.");
        html = new ReportBuilder(input, config, null).build();
        page = dir.resolve("report/index.html");
        Files.createDirectories(page.getParent());
        Files.writeString(page, html, StandardCharsets.UTF_8);
    }

    @Test
    void pageHasEverySectionAndIsSelfContained() {
        assertEquals(ModelSpec.MODELS.size(), count(html, "<tr class=\"model-row\">"));
        for (String id : List.of("chart-models", "chart-heatmap", "chart-pca", "chart-bias")) {
            assertTrue(Pattern.compile("<svg [^>]*\\bid=\"" + id + "\"").matcher(html).find(), "missing " + id);
        }
        assertEquals(3, count(html, "<section class=\"persona\""));
        assertEquals(30, count(html, "<tr class=\"rec-row\">"), "10 recommendations per persona");
        assertTrue(html.contains("Item &lt;i"), "labels are escaped");
        assertTrue(html.contains("src=\"http") == false && html.contains("href=\"http") == false, "no external resources");
        int biasRows = count(html, "<tr class=\"bias-row\">");
        assertTrue(biasRows > 0 && biasRows <= 20 && biasRows % 2 == 0, "top and bottom items by b_i: " + biasRows);
    }

    @Test
    void explanationsSumToTheScores() {
        // every rec row: score, then the top-3 contributions; with a 3-item history (the new user) the three are all of them
        Matcher section = Pattern.compile("id=\"persona-new\".*?</section>", Pattern.DOTALL).matcher(html);
        assertTrue(section.find());
        Matcher row = Pattern.compile("<tr class=\"rec-row\"><td>\\d+</td><td>.*?</td><td>(-?[0-9.]+)</td><td class=\"because\">(.*?)"
            + "</td></tr>").matcher(section.group());
        int rows = 0;
        while (row.find()) {
            double score = Double.parseDouble(row.group(1));
            double sum = 0;
            Matcher c = Pattern.compile("<span class=\"v\">\\+?(-?[0-9.]+)</span>").matcher(row.group(2));
            while (c.find()) {
                sum += Double.parseDouble(c.group(1));
            }
            assertEquals(score, sum, 0.003, row.group());
            rows++;
        }
        assertEquals(10, rows);
    }

    @Test
    void chromiumRendersThePage() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "SKIPPED: " + CHROMIUM + " not found; install it with 'apt-get install -y chromium' to "
            + "render the report in a headless browser");
        Path png = dir.resolve("shot.png");
        chromium("--screenshot=" + png, "--window-size=1280,2000");
        assertTrue(Files.size(png) > 20_000, "screenshot is " + Files.size(png) + " bytes");
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(1280, image.getWidth());
        assertEquals(2000, image.getHeight());
        Set<Integer> colors = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 7) {
            for (int x = 0; x < image.getWidth(); x += 7) {
                colors.add(image.getRGB(x, y));
            }
        }
        assertTrue(colors.size() > 50, "a rendered page with charts has many colors, got " + colors.size());
        String dom = chromium("--dump-dom");
        assertEquals(ModelSpec.MODELS.size(), count(dom, "class=\"model-row\""), "table rows in the browser's DOM");
        for (String model : ModelSpec.MODELS) {
            assertTrue(dom.contains("<tr class=\"model-row\"><td>" + model + "</td>"), model);
        }
        assertTrue(dom.contains("id=\"chart-heatmap\""));
    }

    private static String chromium(String... extra) throws Exception {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--user-data-dir=" + profile));
        cmd.addAll(List.of(extra));
        cmd.add(page.toUri().toString());
        Path stdout = dir.resolve("chromium-" + System.nanoTime() + ".out");
        Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor(120, TimeUnit.SECONDS) == false) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 120 s: " + cmd);
        }
        assertEquals(0, p.exitValue(), "chromium exit code for " + cmd);
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
