package dev.mfrecs.spark;

import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.es.ReadPlan;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelArtifacts;
import dev.mfrecs.trainer.train.Algorithm;
import dev.mfrecs.trainer.train.EngineProvider;
import dev.mfrecs.trainer.train.TrainJob;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.util.Set;

/**
 * Registers {@code --engine spark} (our row solver on Spark) with the trainer CLI through {@link java.util.ServiceLoader}: the
 * trainer finds this class only when this module's jar is on the class path, so it never depends on Spark. Each run gets its own
 * {@link SparkSession} (spark-submit's master and settings when launched by it), stopped when the run ends.
 * {@link SparkMllibEngineProvider} registers {@code --engine spark-mllib} the same way.
 */
public final class SparkEngineProvider implements EngineProvider {

    private final SparkImplicitTrainer.Backend backend;

    public SparkEngineProvider() {
        this(SparkImplicitTrainer.Backend.MFRECS);
    }

    SparkEngineProvider(SparkImplicitTrainer.Backend backend) {
        this.backend = backend;
    }

    @Override
    public String name() {
        return SparkEngine.engineName(backend);
    }

    @Override
    public TrainJob.Engine create(EsConnection connection, String master) {
        EsConnectionSpec spec = EsConnectionSpec.of(connection);
        return new TrainJob.Engine() {
            @Override
            public String name() {
                return SparkEngine.engineName(backend);
            }

            @Override
            public ModelArtifacts train(TrainJob job, ReadPlan plan, ElasticsearchClient client, TrainJob.Counts counts, ProgressLog log)
                throws IOException {
                SparkSession spark = session(master, "mfrecs train " + job.model());
                try {
                    return new SparkEngine(spark, spec, backend).train(job, plan, client, counts, log);
                } finally {
                    spark.stop();
                }
            }
        };
    }

    /** MLlib solves every row exactly: the row solver and its conjugate-gradient steps do not apply; ours uses them all. */
    @Override
    public Set<String> unusedParameters(Algorithm algorithm) {
        return backend == SparkImplicitTrainer.Backend.MLLIB ? Set.of("solver", "cg-steps") : Set.of();
    }

    /**
     * A session on {@code master}; without one, spark-submit's ({@code spark.master}), else {@code local[*]}. Spark settings
     * also come from {@code -Dspark.*} system properties. Shuffles default to twice the default parallelism instead of
     * Spark SQL's 200 partitions, which only pay off on large clusters.
     */
    public static SparkSession session(String master, String appName) {
        SparkConf conf = new SparkConf();
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        if (master != null) {
            builder.master(master);
        } else if (conf.contains("spark.master") == false) {
            builder.master("local[*]");
        }
        SparkSession spark = builder.getOrCreate();
        if (conf.contains("spark.sql.shuffle.partitions") == false) {
            spark.conf().set("spark.sql.shuffle.partitions", Integer.toString(2 * spark.sparkContext().defaultParallelism()));
        }
        return spark;
    }
}
