package dev.mfrecs.spark;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.JsonpUtils;

import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.trainer.es.ReadPlan;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelArtifacts;
import dev.mfrecs.trainer.settings.AlgorithmSettings;
import dev.mfrecs.trainer.train.TrainJob;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The Spark training engine behind {@code recsys train --engine spark}: the driver gets the job's {@link ReadPlan} (the same
 * as the local engine's: query, window, cut-off, decay reference) and opens a point-in-time; every Spark partition reads one
 * slice of it with its own client ({@link SliceReader}); {@link SparkImplicitTrainer} aggregates and trains with our row solver in
 * the executors ({@code --engine spark}) or with MLlib's ALS ({@code --engine spark-mllib}); {@link TrainJob} publishes through
 * the same path as the local engine. Implicit ALS only.
 */
public final class SparkEngine implements TrainJob.Engine {

    /** Spark property: slices of the point-in-time search, one Spark partition each (default: the default parallelism). */
    public static final String SLICES = "spark.mfrecs.slices";
    /** Spark property: user and item blocks, one Spark partition each (default: the default parallelism). */
    public static final String BLOCKS = "spark.mfrecs.blocks";
    static final int PAGE_SIZE = 5_000;
    static final String KEEP_ALIVE = "10m";

    /** Spark's own property: cores per task, which our backend solves each block with (default 1). */
    public static final String TASK_CPUS = "spark.task.cpus";

    private final SparkSession spark;
    private final EsConnectionSpec connection;
    private final SparkImplicitTrainer.Backend backend;

    /** The engine of {@code --engine spark}: our row solver in the executors. */
    public SparkEngine(SparkSession spark, EsConnectionSpec connection) {
        this(spark, connection, SparkImplicitTrainer.Backend.MFRECS);
    }

    public SparkEngine(SparkSession spark, EsConnectionSpec connection, SparkImplicitTrainer.Backend backend) {
        this.spark = spark;
        this.connection = connection;
        this.backend = backend;
    }

    /** The {@code --engine} value of {@code backend}: {@code spark} for ours, {@code spark-mllib} for MLlib's ALS. */
    public static String engineName(SparkImplicitTrainer.Backend backend) {
        return backend == SparkImplicitTrainer.Backend.MLLIB ? "spark-mllib" : "spark";
    }

    @Override
    public String name() {
        return engineName(backend);
    }

    @Override
    public ModelArtifacts train(TrainJob job, ReadPlan plan, ElasticsearchClient client, TrainJob.Counts counts, ProgressLog log)
        throws IOException {
        if (job.settings() instanceof AlgorithmSettings.Ials == false) {
            throw new IllegalArgumentException("[--algorithm] [" + job.algorithm().cliName()
                + "] is not supported by [--engine] [" + name() + "]; use [ials] or [--engine] [local]");
        }
        ImplicitAlsParams params = ((AlgorithmSettings.Ials) job.settings()).params();
        InteractionRecipe recipe = plan.recipe();
        InteractionFields fields = recipe.fields();
        int parallelism = spark.sparkContext().defaultParallelism();
        int slices = positiveSetting(SLICES, parallelism);
        int blocks = positiveSetting(BLOCKS, parallelism);
        int taskThreads = positiveSetting(TASK_CPUS, 1);
        String queryJson = JsonpUtils.toJsonString(plan.query(), client._jsonpMapper());
        String pit = client.openPointInTime(p -> p.index(fields.index()).keepAlive(k -> k.time(KEEP_ALIVE))).id();
        try {
            SliceReader reader = SliceReader.of(connection, recipe, queryJson, pit, slices, PAGE_SIZE, KEEP_ALIVE);
            LongAccumulator events = spark.sparkContext().longAccumulator("mfrecs events");
            LongAccumulator invalid = spark.sparkContext().longAccumulator("mfrecs invalid events");
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<Integer> ids = IntStream.range(0, slices).boxed().toList();
            log.step("reading [" + fields.index() + "] in [" + slices + "] slices of a point-in-time on [" + spark.sparkContext().master()
                + "]");
            JavaRDD<Row> rows = jsc.parallelize(ids, slices).mapPartitions(it -> {
                List<Row> out = new ArrayList<>();
                while (it.hasNext()) {
                    SliceReader.SliceResult r = reader.read(it.next());
                    events.add(r.events());
                    invalid.add(r.invalid());
                    out.addAll(r.pairs());
                }
                return out.iterator();
            });
            // Materialize the read once: the accumulator is then complete and nothing re-reads the point-in-time.
            Dataset<Row> weighted = spark.createDataFrame(rows, SparkImplicitTrainer.PAIRS).persist(StorageLevel.MEMORY_AND_DISK());
            long slicePairs = weighted.count();
            log.step("read " + events.value() + " weighted events (" + slicePairs + " per-slice pairs) from [" + fields.index() + "]");
            counts.add(events.value() + invalid.value(), invalid.value());
            job.checkInvalid(counts);
            try {
                return SparkImplicitTrainer.train(spark, job.model(), weighted, events.value(), params, job.minPerUser(),
                    job.minPerItem(), recipe, new SparkImplicitTrainer.Options(blocks, backend, taskThreads), log);
            } finally {
                weighted.unpersist();
            }
        } finally {
            client.closePointInTime(c -> c.id(pit));
        }
    }

    private int positiveSetting(String key, int defaultValue) {
        String v = spark.conf().get(key, Integer.toString(defaultValue));
        try {
            int n = Integer.parseInt(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("[" + key + "] must be a positive integer, got [" + v + "]");
    }
}
