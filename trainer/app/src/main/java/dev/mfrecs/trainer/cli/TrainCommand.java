package dev.mfrecs.trainer.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.contract.VectorIndexOptions;
import dev.mfrecs.trainer.data.InteractionFileOptions;
import dev.mfrecs.trainer.data.InteractionFileReader;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.es.ReadPlan;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.contract.CatalogSource;
import dev.mfrecs.trainer.publish.ModelLock;
import dev.mfrecs.trainer.publish.VersionWriter;
import dev.mfrecs.trainer.settings.AlgorithmSettings;
import dev.mfrecs.trainer.train.Algorithm;
import dev.mfrecs.trainer.train.EngineProvider;
import dev.mfrecs.trainer.train.ModelDirectory;
import dev.mfrecs.trainer.train.OfflineTrainer;
import dev.mfrecs.trainer.train.Schedule;
import dev.mfrecs.trainer.train.ScheduledTrainer;
import dev.mfrecs.trainer.train.PublishGate;
import dev.mfrecs.trainer.train.TrainJob;
import dev.mfrecs.trainer.train.TrainedModel;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code recsys train}: either read an interactions index, train implicit or explicit ALS and publish a new model version
 * ({@code --es}), or read an interaction file and write the model's factors and metadata to a directory ({@code --input}, no
 * cluster). Hyper-parameters go through one {@link AlgorithmSettings} on both paths (and both engines), so a parameter the
 * algorithm does not use is rejected the same way everywhere; their help texts come from {@link HyperparameterHelp}.
 */
@Command(name = "train",
    resourceBundle = "dev.mfrecs.trainer.cli.HyperparameterHelp", // CHECKSTYLE: class name in a string (an annotation takes a constant)
    description = "Train from an interactions index and publish a new version (--es), or from a file into a directory "
        + "(--input ... --output DIR).")
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

    @Option(names = "--algorithm", description = "ials, als (explicit, biased), svd (PureSVD) or funk (Funk SVD); --es trains ials "
        + "or als. Default: the --params file's model, else ials.")
    String algorithm;

    @Mixin
    HyperparameterOptions hyperparameters = new HyperparameterOptions();

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

    @Mixin
    RecipeOptions recipe = new RecipeOptions();

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the initialization.")
    long seed;

    @Option(names = "--threads", defaultValue = "0", description = "Worker threads; 0: all cores.")
    int threads;

    @Option(names = "--min-user-items", defaultValue = "1", description = "Drop users with fewer pairs.")
    int minUser;

    @Option(names = "--min-item-users", defaultValue = "1", description = "Drop items with fewer pairs.")
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

    @Option(names = "--index-options", paramLabel = "SPEC", description = "With --es: the item vectors' kNN index for this version, "
        + "type[:m=N][:ef_construction=N][:oversample=X], type hnsw, int8_hnsw, int4_hnsw or bbq_hnsw (oversample: rescore that many "
        + "times k quantized candidates with the float vectors), e.g. int8_hnsw:m=16:ef_construction=200:oversample=3. Default: "
        + "mappings/templates/item-vectors.json's (README, Query).")
    String indexOptions;

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

    @Option(names = "--params", description = "JSON written by 'tune --best' (any algorithm; it also sets --algorithm): its "
        + "parameters apply unless given on the command line.")
    Path paramsFile;

    @Option(names = "--engine", defaultValue = "local", description = "local (this JVM), spark (our solver in Spark executors) or "
        + "spark-mllib (Spark MLlib's ALS); both spark engines need trainer/spark on the class path.")
    String engine;

    @Option(names = "--master", description = "Spark master for the spark engines, e.g. local[2] (default: spark-submit's, else local[*]).")
    String master;

    @Override
    public Integer call() throws Exception {
        ParamsFile file = paramsFile == null ? null : parse(() -> ParamsFile.read(paramsFile));
        if (file != null && algorithm != null && file.model().equals(algorithm) == false) {
            throw new ParameterException(spec.commandLine(), "[--params] [" + paramsFile + "] holds parameters of model [" + file.model()
                + "], not of [--algorithm] [" + algorithm + "]");
        }
        Algorithm algo = parse(() -> Algorithm.parse(algorithm != null ? algorithm : file != null ? file.model() : "ials"));
        int workers = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        AlgorithmSettings settings = parse(() -> hyperparameters.settings(algo, file == null ? Map.of() : file.params(), seed, workers));
        if (source.input != null) {
            return trainOffline(settings);
        }
        if (model == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--model=<model>' (required with --es)");
        }
        if (algo != Algorithm.IALS && algo != Algorithm.ALS) {
            throw new ParameterException(spec.commandLine(), "[--algorithm] [" + algo.cliName() + "] is only supported with --input; "
                + "--es trains ials or als");
        }
        if (every != null && cron != null) {
            throw new ParameterException(spec.commandLine(), "[--every] and [--cron] are mutually exclusive");
        }
        if (output != null || minValue != null || binarize || duplicates != null || header != null) {
            throw new ParameterException(spec.commandLine(), "[--output], [--min-value], [--binarize], [--duplicates] and [--header] "
                + "are only used with --input; --es reads events with --weight and --value-field and publishes to the cluster");
        }
        ConnectionOptions connection = source.es;
        EngineProvider provider = engine.equals("local") ? null : parse(() -> EngineProvider.load(engine));
        if (provider != null) {
            for (String name : hyperparameters.given().keySet()) {
                if (provider.unusedParameters(algo).contains(name)) {
                    throw new ParameterException(spec.commandLine(), "[--" + name + "] is not used by [--engine] [" + engine
                        + "] for algorithm [" + algo.cliName() + "]");
                }
            }
        }
        ReadPlan.Window window = parse(recipe::window);
        Schedule schedule = every != null ? parse(() -> Schedule.every(every)) : cron != null ? parse(() -> Schedule.cron(cron)) : null;
        PublishGate gate = parse(() -> new PublishGate(minEvents, PublishGate.parseDrop(maxDrop), gateCondition == null ? null
            : PublishGate.Condition.parse(gateCondition)));
        TrainJob.Safeguards safeguards = parse(() -> new TrainJob.Safeguards(ModelLock.Lease.configured(), maxInvalidFraction, gate));
        VectorIndexOptions knnIndex = indexOptions == null ? null : parse(() -> parseIndexOptions(indexOptions));
        TrainJob job = new TrainJob(model, settings, recipe.fields(), minUser, minItem,
            catalog == null ? null : new CatalogSource(catalog, catalogFields), keep, window, forceMerge, safeguards, knnIndex);
        try (ElasticsearchClient client = connection.connection().client()) {
            if (schedule != null) {
                if (provider != null) {
                    throw new IllegalArgumentException("[--engine] [" + engine + "] runs once; schedule it outside (cron, spark-submit)");
                }
                new ScheduledTrainer(job, schedule, ProgressLog.stderr()).run(client, 0);
                return 0;
            }
            TrainJob.Engine trainEngine = provider == null ? TrainJob.LOCAL : provider.create(connection.connection(), master);
            int version = job.run(client, ProgressLog.stderr(), VersionWriter.BulkHook.NONE, trainEngine);
            System.out.println("published model [" + model + "] version [" + version + "]");
        }
        return 0;
    }

    private int trainOffline(AlgorithmSettings settings) throws Exception {
        if (output == null) {
            throw new ParameterException(spec.commandLine(), "Missing required option: '--output=<output>' (required with --input)");
        }
        if (forceMerge) {
            throw new ParameterException(spec.commandLine(), "[--force-merge] applies to publishing with --es, not to --input");
        }
        if (indexOptions != null) {
            throw new ParameterException(spec.commandLine(), "[--index-options] applies to publishing with --es, not to --input");
        }
        DuplicatePolicy policy = duplicates != null ? parse(() -> enumValue(DuplicatePolicy.class, "--duplicates", duplicates))
            : InteractionFileOptions.defaultDuplicates(settings.algorithm().biased());
        InteractionFileOptions options = parse(() -> new InteractionFileOptions(minValue == null ? Float.NaN : minValue, binarize, policy,
            header, minUser, minItem));
        ProgressLog log = ProgressLog.stderr();
        log.step("reading [" + source.input + "]");
        InteractionMatrix data = new InteractionFileReader(options).read(source.input);
        // the reader's event chunks (as large as the matrix) are garbage now: collect them before training allocates the transpose
        // and the factors, which then reuse that memory instead of growing the heap (the peak RSS of a large run)
        System.gc();
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
    /** {@link VectorIndexOptions#parse}, its message prefixed with the option. */
    static VectorIndexOptions parseIndexOptions(String spec) {
        try {
            return VectorIndexOptions.parse(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[--index-options] " + e.getMessage(), e);
        }
    }

    private <T> T parse(Supplier<T> parser) {
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
        throw new IllegalArgumentException("[" + option + "] must be one of " + Arrays.toString(type.getEnumConstants())
            .toLowerCase(Locale.ROOT) + " (was [" + value + "])");
    }
}
