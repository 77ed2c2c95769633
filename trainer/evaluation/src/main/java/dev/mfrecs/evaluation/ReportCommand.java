package dev.mfrecs.evaluation;

import dev.mfrecs.evaluation.report.ReportBuilder;
import dev.mfrecs.evaluation.report.ReportConfig;
import dev.mfrecs.evaluation.report.ReportInput;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code recsys report}: the offline evaluation report as one self-contained HTML page ({@code DIR/index.html}). */
@Command(name = "report", mixinStandardHelpOptions = true, description = "Write an offline HTML evaluation report with inline SVG "
    + "charts.")
public final class ReportCommand implements Callable<Integer> {

    @Mixin
    DataOptions data = new DataOptions();

    @Option(names = "--out", required = true, description = "Output directory (index.html is written there).")
    Path out;

    @Option(names = "--algorithm", split = ",", defaultValue = "ials,als,svd,funk,popularity,item-knn", description = "Algorithms "
        + "of the comparison table.")
    List<String> models;

    @Option(names = "--factors-grid", split = ",", defaultValue = "16,32,64", description = "iALS factors of the heatmap.")
    double[] factorsGrid;

    @Option(names = "--reg-grid", split = ",", defaultValue = "1,10,100,300", description = "iALS regularizations of the heatmap.")
    double[] regGrid;

    @Option(names = "--grid-iterations", defaultValue = "10", description = "iALS iterations per heatmap cell.")
    int gridIterations;

    @Option(names = "--pca-items", defaultValue = "1500", description = "Most purchased items shown in the PCA plot.")
    int pcaItems;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the splits and the models.")
    long seed;

    @Option(names = "--threads", defaultValue = "0", description = "Worker threads; 0: all cores.")
    int threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        System.setProperty("java.awt.headless", "true");
        for (String m : models) {
            ModelSpec.defaults(m);
        }
        ReportConfig config = new ReportConfig(models, factorsGrid, regGrid, gridIterations, pcaItems, seed,
            threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        ReportInput input = data.source.retail != null ? retailInput(data.source.retail, data.minValue)
            : fileInput(data.load(), data.source.input != null ? data.source.input.getFileName().toString()
                : "index [" + data.recipe.fields().index() + "]", data.itemAttributes());
        String html = new ReportBuilder(input, config, s -> err.println("report: " + s)).build();
        Files.createDirectories(out);
        Path page = out.resolve("index.html");
        Files.writeString(page, html, StandardCharsets.UTF_8);
        stdout.println("wrote " + page.toAbsolutePath());
        stdout.flush();
        err.flush();
        return 0;
    }

    /** Online Retail: product descriptions as labels, {@link RetailCategory} as category, quantity-derived ratings for the biases. */
    static ReportInput retailInput(Path csv, float minValue) throws IOException {
        RetailData retail = RetailData.load(csv);
        Interactions all = retail.interactions();
        Map<String, String> description = new HashMap<>();
        for (int i = 0; i < all.itemCount(); i++) {
            description.put(all.items().id(i), retail.description()[i]);
        }
        float[] rating = new float[all.size()];
        for (int p = 0; p < all.size(); p++) {
            rating[p] = quantityRating(retail.quantity()[p]);
        }
        Interactions ratings = new Interactions(all.users(), all.items(), all.user(), all.item(), rating, all.times());
        Interactions data = minValue > 0 ? DataOptions.filter(all, minValue) : all;
        return new ReportInput("Online Retail (UCI), purchases", data, id -> description.getOrDefault(id, ""),
            id -> RetailCategory.of(description.getOrDefault(id, "")), "Colors: a coarse category from the last word of the product "
                + "description (e.g. HOLDER, CANDLE: candles & lights; MUG, BOWL: kitchen; BAG, BOX, TIN: bags & boxes; NECKLACE: "
                + "jewellery), 'other' when the word is not in the lexicon of RetailCategory.",
            ratings, "Online Retail has no ratings, so each (customer, product) pair's total purchased quantity q is turned into a "
                + "1-5 rating r = clamp(1 + log2(q), 1, 5) (1 unit: 1, 2: 2, 4: 3, 8: 4, 16 or more: 5). A high b_i marks a product "
                + "customers buy in bulk, a low one a product bought one at a time.");
    }

    /** A 1-5 rating from a purchased quantity: {@code clamp(1 + log2(q), 1, 5)}. */
    static float quantityRating(float q) {
        return (float) Math.max(1, Math.min(5, 1 + Math.log(Math.max(q, 1)) / Math.log(2)));
    }

    /**
     * A plain interactions file or index: the values themselves as ratings; with item attributes ({@code --items}) titles as labels and
     * the first category as colour, else ids and one colour.
     */
    static ReportInput fileInput(Interactions data, String name, ItemAttributes attributes) {
        if (attributes == null) {
            return new ReportInput(name, data, id -> id, id -> "all", "The file has no item attributes (--items), so every point has one "
                + "color.", data, "The file's values are taken as ratings.");
        }
        int covered = attributes.covered(data.items());
        return new ReportInput(name, data, attributes::title, attributes::firstCategory, String.format(Locale.ROOT, "Colors: each "
            + "item's first category in the item attribute file (%d of %d items described; 'other' for the rest and for categories "
            + "beyond the palette).", covered, data.itemCount()), data, "The file's values are taken as ratings.");
    }
}
