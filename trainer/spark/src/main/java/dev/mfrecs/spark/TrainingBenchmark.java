package dev.mfrecs.spark;

import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.FactorModel;
import dev.mfrecs.factorization.ImplicitAls;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelArtifacts;
import dev.mfrecs.trainer.train.ImplicitTrainer;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Compares single-machine and Spark ({@code --engine spark}, our solver) training time on generated logs of growing size
 * (the same events for both, made in memory, not read from Elasticsearch, so only training is compared), and reports both
 * models' value of our objective. {@link SparkSolverBenchmark} compares the two Spark engines.
 * Usage: {@code TrainingBenchmark [--master local[2]] [--factors 32] [--iterations 10] [--threads 2] 1000000 10000000}.
 */
public final class TrainingBenchmark {

    /** Generated users fall into taste groups; 80% of a user's events hit their group's items, with a skewed popularity. */
    static final int GROUPS = 50;
    static final int PARTS = 8;

    private TrainingBenchmark() {}

    /** Receives generated events. */
    interface Sink {
        void accept(String user, String item, float weight);
    }

    /** The events of part {@code part} of a log of {@code events}; deterministic, so both engines see the same log. */
    static void generate(long events, int part, Sink sink) {
        long users = Math.max(100, events / 25);
        int items = (int) Math.max(1_000, events / 500);
        SplittableRandom random = new SplittableRandom(1_000_003L * part + 17);
        long n = events / PARTS + (part < events % PARTS ? 1 : 0);
        for (long e = 0; e < n; e++) {
            long u = random.nextLong(users);
            int g = (int) (u % GROUPS);
            double r = random.nextDouble();
            int item = random.nextInt(10) < 8 ? g + GROUPS * (int) (items / GROUPS * r * r * r) : (int) (items * r * r);
            sink.accept("u" + u, "i" + item, random.nextInt(5) == 0 ? 5f : 1f);
        }
    }

    public static void main(String[] args) {
        String master = "local[2]";
        int factors = 32;
        int iterations = 10;
        int threads = 2;
        List<Long> sizes = new ArrayList<>();
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--master" -> master = args[++a];
                case "--factors" -> factors = Integer.parseInt(args[++a]);
                case "--iterations" -> iterations = Integer.parseInt(args[++a]);
                case "--threads" -> threads = Integer.parseInt(args[++a]);
                default -> sizes.add(Long.parseLong(args[a]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(1_000_000L, 10_000_000L);
        }
        ImplicitAlsParams params = new ImplicitAlsParams(factors, iterations, 0.1f, Confidence.linear(2f), Solver.CG, 3, 42L, threads);
        SparkSession spark = SparkSession.builder().master(master).appName("mfrecs benchmark").config("spark.ui.enabled", "false")
            .getOrCreate();
        spark.conf().set("spark.sql.shuffle.partitions", Integer.toString(2 * spark.sparkContext().defaultParallelism()));
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "| events | users x items, pairs | local: build + train (s) "
            + "| spark %s (our solver): aggregate + collect + fit "
            + "+ sweep (s) | spark fit only (s) | objective local / spark |", master));
        lines.add("| --- | --- | --- | --- | --- | --- |");
        try {
            for (long events : sizes) {
                long t0 = System.nanoTime();
                InteractionMatrix.Accumulator acc = new InteractionMatrix.Accumulator();
                for (int part = 0; part < PARTS; part++) {
                    generate(events, part, acc::add);
                }
                InteractionMatrix data = acc.build(1, 1);
                double build = (System.nanoTime() - t0) / 1e9;
                InteractionRecipe recipe = InteractionRecipe.implicitEvents(InteractionFields.defaults("generated"));
                ModelArtifacts local = ImplicitTrainer.train("bench", data, params, recipe, ProgressLog.stderr());
                double localSeconds = (System.nanoTime() - t0) / 1e9;

                JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
                List<Integer> parts = IntStream.range(0, PARTS).boxed().toList();
                Dataset<Row> log = spark.createDataFrame(jsc.parallelize(parts, PARTS).mapPartitions(it -> {
                    List<Row> rows = new ArrayList<>();
                    while (it.hasNext()) {
                        generate(events, it.next(), (u, i, w) -> rows.add(RowFactory.create(u, i, w)));
                    }
                    return rows.iterator();
                }), SparkImplicitTrainer.PAIRS).persist(StorageLevel.MEMORY_AND_DISK());
                log.count();
                long t1 = System.nanoTime();
                ModelArtifacts remote = SparkImplicitTrainer.train(spark, "bench", log, events, params, 1, 1, recipe,
                    new SparkImplicitTrainer.Options(spark.sparkContext().defaultParallelism()), ProgressLog.stderr());
                double sparkSeconds = (System.nanoTime() - t1) / 1e9;
                log.unpersist();
                double fit = ((Number) remote.metadata().training().details().get("fit_seconds")).doubleValue();
                double localLoss = loss(local, params);
                double sparkLoss = loss(remote, params);
                lines.add(String.format(Locale.ROOT, "| %,d | %,d x %,d, %,d | %.1f + %.1f = %.1f | %.1f | %.1f | %.4g / %.4g (%.3f) |",
                    events, data.users().size(), data.items().size(), data.userItems().nnz(), build, localSeconds - build, localSeconds,
                    sparkSeconds, fit, localLoss, sparkLoss, sparkLoss / localLoss));
                System.err.println(lines.get(lines.size() - 1));
            }
        } finally {
            spark.stop();
        }
        System.out.println(String.format(Locale.ROOT, "factors %d, iterations %d, local solver %s with %d threads, %s, JDK %s", factors,
            iterations, params.solver().name().toLowerCase(Locale.ROOT), threads, master, Runtime.version()));
        lines.forEach(System.out::println);
    }

    static double loss(ModelArtifacts a, ImplicitAlsParams params) {
        FactorModel f = new FactorModel(a.vectorDims(), a.userIds().size(), a.itemIds().size(), a.userVectors(), a.itemVectors());
        return ImplicitAls.loss(a.userItems(), f, params.regularization(), params.confidence());
    }
}
