package dev.mfrecs.trainer.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.trainer.es.ReadPlan;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ConfidenceKind;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.trainer.data.InteractionFileOptions;
import dev.mfrecs.trainer.data.InteractionFileReader;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.contract.CatalogSource;
import dev.mfrecs.trainer.publish.ModelLock;
import dev.mfrecs.trainer.publish.VersionWriter;
import dev.mfrecs.trainer.train.Algorithm;
import dev.mfrecs.trainer.train.ModelDirectory;
import dev.mfrecs.trainer.train.OfflineSettings;
import dev.mfrecs.trainer.train.OfflineTrainer;
import dev.mfrecs.trainer.train.Schedule;
import dev.mfrecs.trainer.train.ScheduledTrainer;
import dev.mfrecs.trainer.train.PublishGate;
import dev.mfrecs.trainer.train.TrainJob;
import dev.mfrecs.trainer.train.TrainedModel;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code recsys train}: either read an interactions index, train implicit ALS and publish a new model version ({@code --es}),
 * or read an interaction file and write the model's factors and metadata to a directory ({@code --input}, no cluster).
 */
@Command(name = "train", description = "Train from an interactions index and publish a new version (--es), "
    + "or from a file into a directory (--input ... --output DIR).")
final class TrainCommand implements Callable<Integer> {

    /** Where the interactions come from: exactly one of a cluster or a file. */
    static final class Source {
        @ArgGroup(exclusive = false, multiplicity = "1", heading = "Elasticsearch source:%n")
        ConnectionOptions es;

        @Option(names = "--input", required = true, description = "Interaction file: user, item[, value[, timestamp]]; "
            + "tab, comma or :: separated; optional header; .gz is gunzipped.")
        Path input;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", description = "Model name, e.g. retail (required with --es).")
    String model;

    @Option(names = "--output", description = "With --input: directory for item_factors.tsv, user_factors.tsv, model.json.")
    Path output;

    @Option(names = "--algorithm", defaultValue = "ials", description = "ials, als (explicit, biased), svd (PureSVD) or funk "
        + "(Funk SVD); --es supports ials only.")
    String algorithm;

    @Option(names = "--min-value", description = "With --input: keep only rows whose value is >= this (e.g. 4 for ratings).")
    Float minValue;

    @Option(names = "--binarize", description = "With --input: set every kept value to 1.")
    boolean binarize;

    @Option(names = "--duplicates", description = "With --input: how repeated (user, item) rows combine: sum, last or mean. "
        + "Default, as for evaluate: sum for ials and svd, last for the rating algorithms als and funk. (--es: events add up for "
        + "ials; ratings are averaged for als.)")
    String duplicates;

    @Option(names = "--header", negatable = true, description = "With --input: whether the first line is a header "
        + "(default: detected from the value column).")
    Boolean header;

    @Option(names = "--learning-rate", defaultValue = "0.005", description = "funk: SGD step size.")
    float learningRate;

    @Option(names = "--index", defaultValue = "interactions", description = "Interactions index, alias or pattern.")
    String index;

    @Option(names = "--user-field", defaultValue = "user_id", description = "Field holding the user id.")
    String userField;

    @Option(names = "--item-field", defaultValue = "item_id", description = "Field holding the item id.")
    String itemField;

    @Option(names = "--event-field", defaultValue = "event_type", description = "Field holding the event type (the names --weight "
        + "gives weights to).")
    String eventField;

    @Option(names = "--value-field", description = "Multiply each event's weight by this numeric field (e.g. quantity, rating).")
    String valueField;

    @Option(names = "--timestamp-field", defaultValue = "timestamp", description = "Field holding the event time (a date; "
        + "@timestamp for a data stream).")
    String timestampField;

    @Option(names = "--weight", showDefaultValue = Help.Visibility.NEVER, description = "Event weight, e.g. --weight view=1 --weight "
        + "purchase=5 --weight return=-5 (default: 1 for every event).")
    Map<String, Float> weights = new LinkedHashMap<>();

    @Option(names = "--half-life-days", defaultValue = "0", description = "Time decay half-life in days (0: none).")
    double halfLifeDays;

    @Option(names = "--factors", defaultValue = "64", description = "Latent factors: the vectors' dimensions.")
    int factors;

    @Option(names = "--iterations", description = "ALS sweeps (default 15), funk epochs (20) or svd power iterations (2).")
    Integer iterations;

    @Option(names = "--regularization", description = "Default 0.1 (ials, als), 0.02 (funk); unused by svd.")
    Float regularization;

    @Option(names = "--alpha", defaultValue = "10", description = "ials: confidence scale (c = 1 + alpha*r with --confidence "
        + "linear).")
    float alpha;

    @Option(names = "--confidence", defaultValue = "linear", description = "linear: 1 + alpha*r; log: 1 + alpha*ln(1 + r/epsilon).")
    String confidence;

    @Option(names = "--epsilon", defaultValue = "1", description = "ials: epsilon of --confidence log.")
    float epsilon;

    @Option(names = "--solver", defaultValue = "cg", description = "cg or cholesky.")
    String solver;

    @Option(names = "--cg-steps", defaultValue = "3", description = "ials: conjugate-gradient steps per row with --solver cg.")
    int cgSteps;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed; a run is reproducible for any --threads.")
    long seed;

    @Option(names = "--threads", defaultValue = "0", description = "0: all cores.")
    int threads;

    @Option(names = "--min-user-items", defaultValue = "1", description = "Drop users with fewer distinct items.")
    int minUser;

    @Option(names = "--min-item-users", defaultValue = "1", description = "Drop items with fewer distinct users.")
    int minItem;

    @Option(names = "--catalog", description = "Catalog index (doc id = item id) whose fields are copied onto item vectors.")
    String catalog;

    @Option(names = "--catalog-field", showDefaultValue = Help.Visibility.NEVER, description = "Catalog field to copy (repeatable; "
        + "default all).")
    List<String> catalogFields = List.of();

    @Option(names = "--keep", defaultValue = "3", description = "Versions to keep.")
    int keep;

    @Option(names = "--force-merge", description = "Merge the new version's indices to one segment before the alias swap: faster "
        + "kNN, slower publishing, and lower recall at the same num_candidates (README, serving benchmark).")
    boolean forceMerge;

    @Option(names = "--from", description = "With --es: only events at or after this ISO-8601 instant.")
    java.time.Instant from;

    @Option(names = "--to", description = "With --es: only events before this ISO-8601 instant.")
    java.time.Instant to;

    @Option(names = "--since", description = "With --es: only events of the last duration, e.g. 90d, 12h or ISO-8601 P90D (overrides "
        + "--from).")
    String since;

    @Option(names = "--query", description = "With --es: only events matching this query (Elasticsearch query DSL, JSON).")
    String query;

    @Option(names = "--binarize-at", description = "With --es: values >= this become 1, others are dropped (e.g. ratings >= 4).")
    Float binarizeAt;

    @Option(names = "--gate", paramLabel = "CONDITION", description = "With --es: publish only if the new model scores at least a "
        + "fraction of the live one on held-out recent interactions, e.g. \"ndcg@10>=0.95*live\" (metrics ndcg, hr). Default: no "
        + "metric gate.")
    String gateCondition;

    @Option(names = "--min-events", defaultValue = "0", description = "With --es: refuse to publish a model trained on fewer "
        + "events.")
    long minEvents;

    @Option(names = "--max-drop", paramLabel = "PERCENT", description = "With --es: refuse to publish when events, users or items "
        + "dropped by more than this against the live model, e.g. 20%%. Default: no limit.")
    String maxDrop;

    @Option(names = "--max-invalid-fraction", defaultValue = "0.01", description = "With --es: fail before writing anything when more "
        + "than this fraction of events have an empty or over-long user or item id (they are skipped and counted otherwise).")
    double maxInvalidFraction;

    @Option(names = "--every", description = "With --es: run forever, every interval (30m, 6h, 1d or ISO-8601 PT6H).")
    String every;

    @Option(names = "--cron", description = "With --es: run forever on a five-field cron schedule, e.g. \"0 3 * * *\".")
    String cron;

    @Option(names = "--alpha0", defaultValue = "1", description = "ials: weight of unobserved pairs (Rendle et al. 2021; 1 = classic).")
    float alpha0;

    @Option(names = "--nu", defaultValue = "0", description = "ials: regularization scaled by (|I_u| + alpha0 |I|)^nu (0 = classic).")
    float nu;

    @Option(names = "--params", description = "JSON written by 'recsys tune --best' for model ials: its factors, iterations, "
        + "regularization, alpha and cg-steps apply unless given on the command line.")
    Path paramsFile;

    @Option(names = "--engine", defaultValue = "local", description = "local (this JVM) or spark (trainer/spark on the class path).")
    String engine;

    @Option(names = "--master", description = "Spark master for --engine spark, e.g. local[2] (default: spark-submit's, else local[*]).")
    String master;

    @Override
    public Integer call() throws Exception {
        if (paramsFile != null) {
            applyParamsFile();
        }
        Algorithm algo = parse(() -> Algorithm.parse(algorithm));
        Confidence conf = parse(() -> new Confidence(enumValue(ConfidenceKind.class, "--confidence", confidence), alpha, epsilon));
        Solver rowSolver = parse(() -> enumValue(Solver.class, "--solver", solver));
        int iters = iterations != null ? iterations : OfflineSettings.defaultIterations(algo);
        float reg = regularization != null ? regularization : OfflineSettings.defaultRegularization(algo);
        int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        if (source.input != null) {
            ImplicitAlsParams.Rendle rendle = parse(() -> new ImplicitAlsParams.Rendle(alpha0, nu));
            return trainOffline(parse(() -> new OfflineSettings(algo, factors, iters, reg, conf, rowSolver, cgSteps, learningRate, seed,
                workers, rendle)));
        }
        if (model == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--model=<model>' (required with --es)");
        }
        if (algo != Algorithm.IALS && algo != Algorithm.ALS) {
            throw new ParameterException(spec.commandLine(), "[--algorithm] [" + algorithm + "] is only supported with --input; "
                + "--es trains ials or als");
        }
        if (every != null && cron != null) {
            throw new ParameterException(spec.commandLine(), "[--every] and [--cron] are mutually exclusive");
        }
        if (output != null || minValue != null || binarize || duplicates != null || header != null) {
            throw new ParameterException(spec.commandLine(), "[--output], [--min-value], [--binarize], [--duplicates] and [--header] "
                + "are only used with --input; --es reads events with --weight and --value-field and publishes to the cluster");
        }
        ImplicitAlsParams params = parse(() -> new ImplicitAlsParams(factors, iters, reg, conf, rowSolver, cgSteps, seed, workers)
            .withRendle(alpha0, nu));
        ConnectionOptions connection = source.es;
        InteractionFields fields = new InteractionFields(index, userField, itemField, eventField, valueField, timestampField,
            Map.copyOf(weights), halfLifeDays);
        Instant start = since == null ? from : Instant.now().minus(parse(() -> Schedule.parseDuration("--since", since)));
        Schedule schedule = every != null ? parse(() -> Schedule.every(every)) : cron != null ? parse(() -> Schedule.cron(cron)) : null;
        PublishGate gate = parse(() -> new PublishGate(minEvents, PublishGate.parseDrop(maxDrop), gateCondition == null ? null
            : PublishGate.Condition.parse(gateCondition)));
        TrainJob.Safeguards safeguards = parse(() -> new TrainJob.Safeguards(ModelLock.Lease.DEFAULT, maxInvalidFraction, gate));
        TrainJob job = new TrainJob(model, algo, fields, params, minUser, minItem,
            catalog == null ? null : new CatalogSource(catalog, catalogFields), keep, new ReadPlan.Window(start, to, query, binarizeAt),
            forceMerge, safeguards);
        try (ElasticsearchClient client = connection.connection().client()) {
            if (schedule != null) {
                if (engine.equals("local") == false) {
                    throw new IllegalArgumentException("[--engine] [" + engine + "] runs once; schedule it outside (cron, spark-submit)");
                }
                new ScheduledTrainer(job, schedule, ProgressLog.stderr()).run(client, 0);
                return 0;
            }
            TrainJob.Engine trainEngine = engine.equals("local") ? TrainJob.LOCAL
                : dev.mfrecs.trainer.train.EngineProvider.load(engine).create(connection.connection(), master);
            int version = job.run(client, ProgressLog.stderr(), VersionWriter.BulkHook.NONE, trainEngine);
            System.out.println("published model [" + model + "] version [" + version + "]");
        }
        return 0;
    }

    private int trainOffline(OfflineSettings settings) throws Exception {
        if (output == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--output=<output>' (required with --input)");
        }
        if (forceMerge) {
            throw new ParameterException(spec.commandLine(), "[--force-merge] applies to publishing with --es, not to --input");
        }
        DuplicatePolicy policy = duplicates != null ? parse(() -> enumValue(DuplicatePolicy.class, "--duplicates", duplicates))
            : InteractionFileOptions.defaultDuplicates(settings.algorithm().biased());
        InteractionFileOptions options = parse(() -> new InteractionFileOptions(minValue == null ? Float.NaN : minValue, binarize, policy,
            header, minUser, minItem));
        ProgressLog log = ProgressLog.stderr();
        log.step("reading [" + source.input + "]");
        InteractionMatrix data = new InteractionFileReader(options).read(source.input);
        log.step("read " + data.events() + " rows: " + data.users().size() + " users, " + data.items().size() + " items, "
            + data.userItems().nnz() + " pairs");
        TrainedModel trained = OfflineTrainer.train(data, settings, log);
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("file", source.input.toString());
        input.put("min_value", minValue);
        input.put("binarize", binarize);
        input.put("duplicates", policy.name().toLowerCase(Locale.ROOT));
        input.put("min_user_items", minUser);
        input.put("min_item_users", minItem);
        ModelDirectory.write(output, trained, Map.of("input", input));
        log.step("wrote [" + output.resolve(ModelDirectory.ITEM_FACTORS) + "], [" + ModelDirectory.USER_FACTORS + "], ["
            + ModelDirectory.MODEL_JSON + "]");
        System.out.println("wrote " + settings.algorithm().cliName() + " model to [" + output + "]");
        return 0;
    }

    /** Turns a bad option value into a usage error (exit code 2) that names the option, as picocli does for its own checks. */
    private <T> T parse(java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String option, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new IllegalArgumentException("[" + option + "] must be one of " + java.util.Arrays.toString(type.getEnumConstants())
            .toLowerCase(Locale.ROOT) + " (was [" + value + "])");
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
