package dev.mfrecs.trainer.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an offline-trained model as plain files any tool can load (numpy, pandas, a shell loop), so offline training is
 * useful without a cluster and its output can be inspected, diffed and published later:
 * <ul>
 *   <li>{@code item_factors.tsv}, {@code user_factors.tsv}: one line per id, tab-separated: the external id, then for
 *       rating models ({@code als}, {@code funk}) the bias, then the {@code d} factors; floats in Java's shortest
 *       round-trip notation; ids in first-seen order of the input;</li>
 *   <li>{@code model.json}: parameters, counts, timings, the global mean of rating models, and for {@code ials} the item
 *       Gram matrix {@code Y^T Y} (row-major, {@code d x d}), regularization and confidence that fold-in needs.</li>
 * </ul>
 */
public final class ModelDirectory {

    public static final String ITEM_FACTORS = "item_factors.tsv";
    public static final String USER_FACTORS = "user_factors.tsv";
    public static final String MODEL_JSON = "model.json";

    private ModelDirectory() {}

    /** Writes the three files into {@code dir}, creating it when needed; existing files are replaced. */
    public static void write(Path dir, TrainedModel model, Map<String, Object> extraMetadata) throws IOException {
        if (Files.exists(dir) && Files.isDirectory(dir) == false) {
            throw new IllegalArgumentException("[--output] [" + dir + "] exists and is not a directory");
        }
        Files.createDirectories(dir);
        writeFactors(dir.resolve(ITEM_FACTORS), model.itemIds(), model.itemBias(), model.itemFactors(), model.factors());
        writeFactors(dir.resolve(USER_FACTORS), model.userIds(), model.userBias(), model.userFactors(), model.factors());
        Map<String, Object> meta = new LinkedHashMap<>(model.metadata());
        meta.put("factor_file_columns", model.algorithm().biased() ? "id, bias, factors" : "id, factors");
        meta.putAll(extraMetadata);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(MODEL_JSON).toFile(), meta);
    }

    private static void writeFactors(Path file, List<String> ids, float[] bias, float[] factors, int d) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            for (int r = 0; r < ids.size(); r++) {
                String id = ids.get(r);
                if (id.indexOf('\t') >= 0 || id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("id [" + id + "] contains a tab or line break and cannot be written to ["
                        + file.getFileName() + "]");
                }
                line.setLength(0);
                line.append(id);
                if (bias != null) {
                    line.append('\t').append(bias[r]);
                }
                int off = r * d;
                for (int k = 0; k < d; k++) {
                    line.append('\t').append(factors[off + k]);
                }
                line.append('\n');
                out.append(line);
            }
        }
    }
}
