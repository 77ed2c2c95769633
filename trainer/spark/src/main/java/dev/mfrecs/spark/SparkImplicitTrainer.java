package dev.mfrecs.spark;

import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.contract.TrainingSummary;
import dev.mfrecs.factorization.ConfidenceKind;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.Gram;
import dev.mfrecs.factorization.ImplicitAls;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelArtifacts;
import dev.mfrecs.trainer.train.ImplicitTrainer;
import dev.mfrecs.trainer.train.TrainingRecord;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import scala.Tuple2;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * Implicit ALS on Spark, packaged exactly like the single-machine {@link ImplicitTrainer} so the publisher and the plugin cannot
 * tell the engines apart: the same pair aggregation and filtering as {@code InteractionMatrix.Accumulator} (sum per pair, optional
 * binarization, positive pairs only, one-pass minimum counts), the pairs collected as CSR on the driver (the publisher stores
 * them), then training by one of two {@link Backend}s, then on the driver the item Gram matrix Y^T Y and a last exact user
 * half-sweep with our own solver and regularization, so stored user vectors equal what the plugin's query-time fold-in computes.
 * <p>
 * {@link Backend#MFRECS} ({@code --engine spark}) runs our row solver in the executors ({@link SparkIals}): the local engine's
 * objective, solvers and options exactly, with the same result for any number of blocks.
 * <p>
 * {@link Backend#MLLIB} ({@code --engine spark-mllib}) runs MLlib's ALS, whose implicit objective differs from ours in one term:
 * it penalizes {@code regParam * n_u * |x_u|^2} for a user with {@code n_u} positive pairs (and likewise per item; "ALS-WR"),
 * where ours uses a constant {@code lambda}. We set {@code regParam = lambda * (users + items) / (2 * pairs)}, which makes the total
 * regularization weight ({@code regParam * 2 * pairs}) equal ours ({@code lambda * (users + items)}). Confidence
 * {@code 1 + alpha * r} is the same; logarithmic confidence is reproduced by training on {@code ln(1 + r / epsilon)}; the Rendle
 * options apply only to the last user half-sweep.
 */
public final class SparkImplicitTrainer {

    /** Column names of the weighted pairs every input is turned into. */
    public static final StructType PAIRS = new StructType().add("user", DataTypes.StringType, false)
        .add("item", DataTypes.StringType, false)
        .add("value", DataTypes.FloatType, false);

    private SparkImplicitTrainer() {}

    /** Which solver trains on Spark: this project's row solver in the executors, or MLlib's ALS. */
    public enum Backend {
        /** {@link SparkIals}: our objective, solvers and options exactly ({@code --engine spark}). */
        MFRECS("mfrecs"),
        /** MLlib ALS with the regularization mapping of the class doc ({@code --engine spark-mllib}). */
        MLLIB("mllib");

        private final String cliName;

        Backend(String cliName) {
            this.cliName = cliName;
        }

        /** The name recorded in the training details ({@code backend}). */
        public String cliName() {
            return cliName;
        }
    }

    /**
     * Options of the Spark side that do not change the objective.
     *
     * @param blocks      user and item blocks (at least; our backend adds blocks when one would be too large for a task)
     * @param backend     who solves the rows
     * @param taskThreads threads each task solves its block with (our backend; {@code spark.task.cpus})
     */
    public record Options(int blocks, Backend backend, int taskThreads) {
        public Options {
            if (blocks <= 0) {
                throw new IllegalArgumentException("[spark.mfrecs.blocks] must be > 0, got [" + blocks + "]");
            }
            if (backend == null) {
                throw new IllegalArgumentException("[backend] must not be null");
            }
            if (taskThreads <= 0) {
                throw new IllegalArgumentException("[spark.task.cpus] must be > 0, got [" + taskThreads + "]");
            }
        }

        /** Our backend with one thread per task. */
        public Options(int blocks) {
            this(blocks, Backend.MFRECS, 1);
        }
    }

    /** MLlib's {@code regParam} that gives the same total regularization weight as our {@code lambda} (see the class doc). */
    public static double regParam(float lambda, long users, long items, long pairs) {
        return pairs == 0 ? lambda : lambda * (double) (users + items) / (2.0 * pairs);
    }

    /**
     * Sums weighted events per (user, item), binarizes when {@code binarizeAt} is finite, keeps positive pairs, then drops
     * users and items with fewer than the minimum number of positive pairs, counted once before either is dropped (as the
     * single-machine accumulator does).
     */
    public static Dataset<Row> aggregate(Dataset<Row> weightedEvents, int minPerUser, int minPerItem, float binarizeAt) {
        Dataset<Row> pairs = weightedEvents.groupBy("user", "item").agg(sum(col("value")).cast(DataTypes.FloatType).as("value"));
        if (Float.isNaN(binarizeAt) == false) {
            pairs = pairs.withColumn("value", when(col("value").geq(binarizeAt), lit(1f)).otherwise(lit(0f)));
        }
        pairs = pairs.filter(col("value").gt(0));
        if (minPerUser > 1 || minPerItem > 1) {
            Column perUser = count(lit(1)).over(Window.partitionBy("user"));
            Column perItem = count(lit(1)).over(Window.partitionBy("item"));
            pairs = pairs.withColumn("n_user", perUser).withColumn("n_item", perItem)
                .filter(col("n_user").geq(minPerUser).and(col("n_item").geq(minPerItem)))
                .drop("n_user", "n_item");
        }
        return pairs;
    }

    /**
     * Trains on weighted events (schema {@link #PAIRS}; repeated pairs are summed) and returns what a model version
     * publishes, with the same metadata as the single-machine trainer ({@link ImplicitTrainer#metadata}) and {@code recipe}.
     */
    public static ModelArtifacts train(SparkSession spark, String model, Dataset<Row> weightedEvents, long events, ImplicitAlsParams params,
                                       int minPerUser, int minPerItem, InteractionRecipe recipe, Options options, ProgressLog log) {
        long start = System.nanoTime();
        Dataset<Row> pairs = aggregate(weightedEvents, minPerUser, minPerItem, recipe.binarizeThreshold())
            .persist(StorageLevel.MEMORY_AND_DISK());
        // ids numbered in sorted order: the same log gives the same numbering, hence the same seeded start and model, every run
        // (the order of distinct() depends on which shuffle blocks arrive first)
        JavaPairRDD<String, Long> userIndex = pairs.select("user").distinct().orderBy("user").javaRDD().map(r -> r.getString(0))
            .zipWithIndex()
            .persist(StorageLevel.MEMORY_AND_DISK());
        JavaPairRDD<String, Long> itemIndex = pairs.select("item").distinct().orderBy("item").javaRDD().map(r -> r.getString(0))
            .zipWithIndex()
            .persist(StorageLevel.MEMORY_AND_DISK());
        String[] userIds = ids(userIndex);
        String[] itemIds = ids(itemIndex);
        Dataset<Row> indexed = pairs.join(indexFrame(spark, userIndex, "user", "uid"), "user")
            .join(indexFrame(spark, itemIndex, "item", "iid"), "item")
            .select(col("uid"), col("iid"), col("value"))
            .persist(StorageLevel.MEMORY_AND_DISK());
        long nnz = indexed.count();
        if (nnz == 0) {
            throw new IllegalStateException("no positive interactions after filtering; nothing to train");
        }
        if (nnz > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("[" + nnz + "] pairs do not fit the published user histories (at most ["
                + (Integer.MAX_VALUE - 8) + "])");
        }
        double prepareSeconds = seconds(start);
        int users = userIds.length;
        int items = itemIds.length;
        int d = params.factors();
        // the driver holds the pairs as CSR in any case (the publisher stores user histories); our engine also starts from it
        long collectStart = System.nanoTime();
        CsrMatrix m = collect(indexed, users, items, nnz);
        double collectSeconds = seconds(collectStart);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("spark_version", spark.version());
        details.put("master", spark.sparkContext().master());
        details.put("backend", options.backend().cliName());
        long fitStart = System.nanoTime();
        float[] itemFactors;
        float[] userFactors;
        String solver;
        if (options.backend() == Backend.MLLIB) {
            double regParam = regParam(params.regularization(), users, items, nnz);
            itemFactors = mllib(indexed, params, regParam, items, options, log, users, nnz);
            release(indexed, pairs, userIndex, itemIndex);
            userFactors = new float[Math.multiplyExact(users, d)];
            solver = "mllib";
            details.put("reg_param", regParam);
            details.put("blocks", options.blocks());
        } else {
            // from here on, the CSR on the driver is all our backend reads
            release(indexed, pairs, userIndex, itemIndex);
            log.step(String.format(Locale.ROOT, "training implicit ALS with our solver on Spark: %d users x %d items, %d pairs, d=%d, "
                + "%d iterations, solver %s, at least %d blocks per side, %d threads per task, %s kernels", users, items, nnz, d,
                params.iterations(), params.solver(), options.blocks(), options.taskThreads(), ImplicitAls.kernels()));
            SparkIals.Result fit = SparkIals.train(JavaSparkContext.fromSparkContext(spark.sparkContext()), m, params, options.blocks(),
                options.taskThreads(), (it, total, s) -> log.step(String.format(Locale.ROOT, "iteration %d/%d (%.2fs)", it, total, s)));
            itemFactors = fit.model().itemFactors();
            userFactors = fit.model().userFactors();
            solver = params.solver().name().toLowerCase(Locale.ROOT);
            details.put("blocks", fit.blocks());
            details.put("task_threads", options.taskThreads());
            details.put("cg_steps", params.cgSteps());
        }
        double fitSeconds = seconds(fitStart);
        // The last user half-sweep with our solver and lambda, as ImplicitTrainer does: stored vectors equal the fold-in.
        long sweepStart = System.nanoTime();
        ImplicitAls.halfSweep(m, itemFactors, items, userFactors, params.withSolver(Solver.CHOLESKY));
        float[] gram = Gram.compute(itemFactors, items, d);
        float[] userGram = Gram.compute(userFactors, users, d);
        double sweepSeconds = seconds(sweepStart);
        double totalSeconds = seconds(start);
        float[] popularity = TrainingRecord.popularity(m);
        details.put("prepare_seconds", prepareSeconds);
        details.put("fit_seconds", fitSeconds);
        details.put("collect_seconds", collectSeconds);
        details.put("user_sweep_seconds", sweepSeconds);
        // Per iteration, only the ALS fit counts: preparing and collecting happen once per run.
        TrainingSummary summary = TrainingRecord.summary("spark", params.iterations(), solver, params.seed(), m, events, totalSeconds,
            params.iterations() == 0 ? 0 : fitSeconds / params.iterations(), details);
        // The settings the stored users were solved with (the last half-sweep above), including the Rendle options.
        ModelMetadata metadata = ImplicitTrainer.metadata(model, params, gram, userGram, m, recipe,
            TrainingRecord.popularItems(List.of(itemIds), popularity), summary);
        log.step(String.format(Locale.ROOT, "trained on Spark in %.2fs (prepare %.2fs, collect %.2fs, %s %.2fs, user sweep + Gram %.2fs)",
            totalSeconds, prepareSeconds, collectSeconds, options.backend().cliName(), fitSeconds, sweepSeconds));
        return new ModelArtifacts(metadata, List.of(itemIds), itemFactors, null, popularity, List.of(userIds), userFactors, null, m);
    }

    /** The indexed pairs (uid, iid, value) as a users x items CSR on the driver. */
    private static CsrMatrix collect(Dataset<Row> indexed, int users, int items, long nnz) {
        int[] rows = new int[(int) nnz];
        int[] cols = new int[(int) nnz];
        float[] vals = new float[(int) nnz];
        int n = 0;
        for (Iterator<Row> it = indexed.toLocalIterator(); it.hasNext();) {
            Row r = it.next();
            rows[n] = r.getInt(0);
            cols[n] = r.getInt(1);
            vals[n] = r.getFloat(2);
            n++;
        }
        CsrMatrix m = CsrMatrix.fromTriplets(users, items, rows, cols, vals, n);
        return m;
    }

    private static void release(Dataset<Row> indexed, Dataset<Row> pairs, JavaPairRDD<String, Long> userIndex,
                                JavaPairRDD<String, Long> itemIndex) {
        indexed.unpersist();
        pairs.unpersist();
        userIndex.unpersist();
        itemIndex.unpersist();
    }

    /** MLlib's ALS on the indexed pairs; returns the item factors ({@code items x d}, row-major). */
    private static float[] mllib(Dataset<Row> indexed, ImplicitAlsParams params, double regParam, int items, Options options,
                                 ProgressLog log, int users, long nnz) {
        int d = params.factors();
        Dataset<Row> ratings = params.confidence().kind() == ConfidenceKind.LOG
            ? indexed.withColumn("value", log1p(col("value").divide(params.confidence().epsilon())).cast(DataTypes.FloatType))
            : indexed;
        log.step(String.format(Locale.ROOT, "training Spark MLlib ALS: %d users x %d items, %d pairs, d=%d, %d iterations, regParam %.6g "
            + "(lambda %.4g), alpha %.4g, %d blocks", users, items, nnz, d, params.iterations(), regParam, params.regularization(),
            params.confidence().alpha(), options.blocks()));
        ALSModel als = new ALS().setImplicitPrefs(true)
            .setRank(d)
            .setMaxIter(Math.max(1, params.iterations()))
            .setRegParam(regParam)
            .setAlpha(params.confidence().alpha())
            .setSeed(params.seed())
            .setNumUserBlocks(options.blocks())
            .setNumItemBlocks(options.blocks())
            .setUserCol("uid")
            .setItemCol("iid")
            .setRatingCol("value")
            .fit(ratings);
        float[] itemFactors = new float[Math.multiplyExact(items, d)];
        for (Row r : als.itemFactors().collectAsList()) {
            int i = r.getInt(0);
            List<Float> f = r.getList(1);
            for (int k = 0; k < d; k++) {
                itemFactors[i * d + k] = f.get(k);
            }
        }
        return itemFactors;
    }

    private static String[] ids(JavaPairRDD<String, Long> index) {
        List<Tuple2<String, Long>> all = index.collect();
        String[] ids = new String[all.size()];
        for (Tuple2<String, Long> t : all) {
            ids[Math.toIntExact(t._2())] = t._1();
        }
        return ids;
    }

    private static Dataset<Row> indexFrame(SparkSession spark, JavaPairRDD<String, Long> index, String name, String idColumn) {
        StructType schema = new StructType().add(name, DataTypes.StringType, false).add(idColumn, DataTypes.IntegerType, false);
        return spark.createDataFrame(index.map(t -> RowFactory.create(t._1(), Math.toIntExact(t._2()))), schema);
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
