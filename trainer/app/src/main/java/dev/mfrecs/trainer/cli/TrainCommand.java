package dev.mfrecs.trainer.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ConfidenceKind;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.trainer.es.InteractionFields;
import dev.mfrecs.trainer.node.ProgressLog;
import dev.mfrecs.trainer.publish.CatalogSource;
import dev.mfrecs.trainer.train.TrainJob;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code recsys train}: read an interactions index, train implicit ALS, publish a new model version, swap aliases. */
@Command(name = "train", description = "Train a model from an interactions index and publish it as a new version.")
final class TrainCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--model", required = true, description = "Model name, e.g. retail.")
    String model;

    @Option(names = "--index", defaultValue = "interactions", description = "Interactions index, alias or pattern.")
    String index;

    @Option(names = "--user-field", defaultValue = "user_id")
    String userField;

    @Option(names = "--item-field", defaultValue = "item_id")
    String itemField;

    @Option(names = "--event-field", defaultValue = "event_type")
    String eventField;

    @Option(names = "--value-field", description = "Multiply each event's weight by this numeric field (e.g. quantity, rating).")
    String valueField;

    @Option(names = "--timestamp-field", defaultValue = "timestamp")
    String timestampField;

    @Option(names = "--weight", description = "Event weight, e.g. --weight view=1 --weight purchase=5 --weight return=-5.")
    Map<String, Float> weights = new LinkedHashMap<>();

    @Option(names = "--half-life-days", defaultValue = "0", description = "Time decay half-life in days (0: none).")
    double halfLifeDays;

    @Option(names = "--factors", defaultValue = "64")
    int factors;

    @Option(names = "--iterations", defaultValue = "15")
    int iterations;

    @Option(names = "--regularization", defaultValue = "0.1")
    float regularization;

    @Option(names = "--alpha", defaultValue = "10")
    float alpha;

    @Option(names = "--confidence", defaultValue = "linear", description = "linear: 1 + alpha*r; log: 1 + alpha*ln(1 + r/epsilon).")
    String confidence;

    @Option(names = "--epsilon", defaultValue = "1")
    float epsilon;

    @Option(names = "--solver", defaultValue = "cg", description = "cg or cholesky.")
    String solver;

    @Option(names = "--cg-steps", defaultValue = "3")
    int cgSteps;

    @Option(names = "--seed", defaultValue = "42")
    long seed;

    @Option(names = "--threads", defaultValue = "0", description = "0: all cores.")
    int threads;

    @Option(names = "--min-user-items", defaultValue = "1")
    int minUser;

    @Option(names = "--min-item-users", defaultValue = "1")
    int minItem;

    @Option(names = "--catalog", description = "Catalog index (doc id = item id) whose fields are copied onto item vectors.")
    String catalog;

    @Option(names = "--catalog-field", description = "Catalog field to copy (repeatable; default all).")
    List<String> catalogFields = List.of();

    @Option(names = "--keep", defaultValue = "3", description = "Versions to keep.")
    int keep;

    @Option(names = "--params", description = "JSON written by 'recsys tune --best' for model ials: its factors, iterations, "
        + "regularization, alpha and cg-steps apply unless given on the command line.")
    java.nio.file.Path paramsFile;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (paramsFile != null) {
            applyParamsFile();
        }
        ConfidenceKind kind = ConfidenceKind.valueOf(confidence.toUpperCase(java.util.Locale.ROOT));
        ImplicitAlsParams params = new ImplicitAlsParams(factors, iterations, regularization, new Confidence(kind, alpha, epsilon),
            Solver.valueOf(solver.toUpperCase(java.util.Locale.ROOT)), cgSteps, seed,
            threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        InteractionFields fields = new InteractionFields(index, userField, itemField, eventField, valueField, timestampField,
            Map.copyOf(weights), halfLifeDays);
        TrainJob job = new TrainJob(model, fields, params, minUser, minItem,
            catalog == null ? null : new CatalogSource(catalog, catalogFields), keep);
        try (ElasticsearchClient client = connection.connection().client()) {
            int version = job.run(client, ProgressLog.stderr());
            System.out.println("published model [" + model + "] version [" + version + "]");
        }
        return 0;
    }

    /** Applies a {@code tune --best} file's parameters to the options not matched on the command line. */
    void applyParamsFile() throws java.io.IOException {
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(paramsFile.toFile());
        String fileModel = root.path("model").asText("");
        if (fileModel.equals("ials") == false) {
            throw new IllegalArgumentException("[--params] [" + paramsFile + "] holds parameters of model [" + fileModel
                + "]; train needs [ials]");
        }
        var params = root.path("params");
        var parsed = spec.commandLine().getParseResult();
        for (var it = params.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (parsed.hasMatchedOption("--" + name)) {
                continue;
            }
            double v = params.get(name).asDouble();
            switch (name) {
                case "factors" -> factors = (int) v;
                case "iterations" -> iterations = (int) v;
                case "regularization" -> regularization = (float) v;
                case "alpha" -> alpha = (float) v;
                case "cg-steps" -> cgSteps = (int) v;
                default -> throw new IllegalArgumentException("[--params] unknown parameter [" + name + "] in [" + paramsFile + "]");
            }
        }
    }
}
