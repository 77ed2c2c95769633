package dev.mfrecs.trainer.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ConfidenceKind;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.trainer.es.InteractionFields;
import dev.mfrecs.trainer.node.ProgressLog;
import dev.mfrecs.trainer.publish.CatalogSource;
import dev.mfrecs.trainer.train.Schedule;
import dev.mfrecs.trainer.train.ScheduledTrainer;
import dev.mfrecs.trainer.train.TrainJob;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Option(names = "--algorithm", defaultValue = "ials", description = "ials (implicit) or als (explicit ratings with biases).")
    String algorithm;

    @Option(names = "--from", description = "Only events at or after this ISO-8601 instant.")
    java.time.Instant from;

    @Option(names = "--to", description = "Only events before this ISO-8601 instant.")
    java.time.Instant to;

    @Option(names = "--since", description = "Only events of the last duration, e.g. 90d (overrides --from).")
    String since;

    @Option(names = "--query", description = "Only events matching this query (Elasticsearch query DSL, JSON).")
    String query;

    @Option(names = "--binarize-at", description = "Values >= this become 1, others are dropped (e.g. ratings >= 4).")
    Float binarizeAt;

    @Option(names = "--every", description = "Run forever, every interval (30m, 6h, 1d).")
    String every;

    @Option(names = "--cron", description = "Run forever on a five-field cron schedule, e.g. \"0 3 * * *\".")
    String cron;

    @Option(names = "--engine", defaultValue = "local", description = "local (this JVM) or spark (trainer/spark on the class path).")
    String engine;

    @Option(names = "--master", description = "Spark master for --engine spark, e.g. local[2] (default: spark-submit's, else local[*]).")
    String master;

    @Override
    public Integer call() throws Exception {
        ConfidenceKind kind = ConfidenceKind.valueOf(confidence.toUpperCase(java.util.Locale.ROOT));
        ImplicitAlsParams params = new ImplicitAlsParams(factors, iterations, regularization, new Confidence(kind, alpha, epsilon),
            Solver.valueOf(solver.toUpperCase(java.util.Locale.ROOT)), cgSteps, seed,
            threads > 0 ? threads : Runtime.getRuntime().availableProcessors());
        InteractionFields fields = new InteractionFields(index, userField, itemField, eventField, valueField, timestampField,
            Map.copyOf(weights), halfLifeDays);
        TrainJob.Algorithm algo;
        try {
            algo = TrainJob.Algorithm.valueOf(algorithm.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[--algorithm] must be [ials] or [als], got [" + algorithm + "]");
        }
        java.time.Instant start = since == null ? from : java.time.Instant.now().minus(Schedule.every(since).interval());
        TrainJob job = new TrainJob(model, algo, fields, params, minUser, minItem,
            catalog == null ? null : new CatalogSource(catalog, catalogFields), keep, new TrainJob.Window(start, to, query, binarizeAt));
        if (every != null && cron != null) {
            throw new IllegalArgumentException("[--every] and [--cron] are mutually exclusive");
        }
        try (ElasticsearchClient client = connection.connection().client()) {
            if (every != null || cron != null) {
                if (engine.equals("local") == false) {
                    throw new IllegalArgumentException("[--engine] [" + engine + "] runs once; schedule it outside (cron, spark-submit)");
                }
                Schedule schedule = every != null ? Schedule.every(every) : Schedule.cron(cron);
                new ScheduledTrainer(job, schedule, ProgressLog.stderr()).run(client, 0);
                return 0;
            }
            TrainJob.Engine trainEngine = engine.equals("local") ? TrainJob.LOCAL
                : dev.mfrecs.trainer.train.EngineProvider.load(engine).create(connection.connection(), master);
            int version = job.run(client, ProgressLog.stderr(), dev.mfrecs.trainer.publish.ModelPublisher.BulkListener.NONE, trainEngine);
            System.out.println("published model [" + model + "] version [" + version + "]");
        }
        return 0;
    }
}
