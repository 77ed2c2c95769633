package dev.mfrecs.spark;

import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ImplicitAls;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelArtifacts;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Seconds per epoch of the two Spark engines on the same log (generated in memory by {@link TrainingBenchmark#generate}, or a
 * {@code user,item,value} CSV given with {@code --input}, such as the {@code interactions.csv} of the benchmarks' DumpData, so that
 * {@code train_speed.py --spark} times Spark on the very data it times the local trainer and numpy on): our
 * row solver in the executors ({@code --engine spark}, conjugate gradient and Cholesky) against MLlib's ALS
 * ({@code --engine spark-mllib}), at each latent dimension asked for, in one Spark session, with each model's value of our
 * objective. Exists to check the claim that our kernels make the Spark engine faster than MLlib at equal {@code d}.
 * Usage: {@code SparkSolverBenchmark [--master local[2]] [--iterations 5] [--events 1000000 | --input FILE.csv] [--factors 64,128]
 * [--engines spark,spark-mllib] [--alpha 2] [--regularization 0.1]}.
 */
public final class SparkSolverBenchmark {

    private SparkSolverBenchmark() {}

    public static void main(String[] args) {
        String master = "local[2]";
        int iterations = 5;
        long events = 1_000_000L;
        List<Integer> dims = List.of(64, 128);
        List<String> engines = List.of("spark", "spark-mllib");
        String input = null;
        float alpha = 2f;
        float lambda = 0.1f;
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--master" -> master = args[++a];
                case "--iterations" -> iterations = Integer.parseInt(args[++a]);
                case "--events" -> events = Long.parseLong(args[++a]);
                case "--engines" -> engines = List.of(args[++a].split(","));
                case "--input" -> input = args[++a];
                case "--alpha" -> alpha = Float.parseFloat(args[++a]);
                case "--regularization" -> lambda = Float.parseFloat(args[++a]);
                case "--factors" -> dims = List.of(args[++a].split(",")).stream().map(s -> Integer.parseInt(s.trim())).toList();
                default -> throw new IllegalArgumentException("unknown argument [" + args[a] + "]");
            }
        }
        SparkSession spark = SparkSession.builder().master(master).appName("mfrecs solver benchmark").config("spark.ui.enabled", "false")
            .getOrCreate();
        int parallelism = spark.sparkContext().defaultParallelism();
        spark.conf().set("spark.sql.shuffle.partitions", Integer.toString(2 * parallelism));
        List<String> lines = new ArrayList<>();
        lines.add("| d | engine | solver | fit (s) | seconds per epoch | MLlib / this, per epoch | our objective |");
        lines.add("| --- | --- | --- | --- | --- | --- | --- |");
        InteractionRecipe recipe = InteractionRecipe.implicitEvents(InteractionFields.defaults("generated"));
        long n = events;
        try {
            Dataset<Row> log = (input == null ? generated(spark, n) : spark.read().schema(SparkImplicitTrainer.PAIRS).csv(input))
                .persist(StorageLevel.MEMORY_AND_DISK());
            long rows = log.count();
            String shape = "";
            for (int d : dims) {
                ImplicitAlsParams cg = new ImplicitAlsParams(d, iterations, lambda, Confidence.linear(alpha), Solver.CG, 3, 42L,
                    parallelism);
                List<Object[]> runs = new ArrayList<>();
                // MLlib first, so our engine does not profit from a JIT warmed by the other
                if (engines.contains("spark-mllib")) {
                    runs.add(run(spark, log, rows, cg.withSolver(Solver.CHOLESKY), recipe, SparkImplicitTrainer.Backend.MLLIB,
                        parallelism));
                }
                if (engines.contains("spark")) {
                    runs.add(run(spark, log, rows, cg, recipe, SparkImplicitTrainer.Backend.MFRECS, parallelism));
                    runs.add(run(spark, log, rows, cg.withSolver(Solver.CHOLESKY), recipe, SparkImplicitTrainer.Backend.MFRECS,
                        parallelism));
                }
                // without MLlib in the run, the ratio column compares with the first run
                double mllibPerEpoch = (double) runs.get(0)[3];
                for (Object[] r : runs) {
                    lines.add(String.format(Locale.ROOT, "| %d | %s | %s | %.1f | %.2f | %.2f | %.4g |", d, r[0], r[1], (double) r[2],
                        (double) r[3], mllibPerEpoch / (double) r[3], (double) r[4]));
                    System.err.println(lines.get(lines.size() - 1));
                }
                ModelArtifacts any = (ModelArtifacts) runs.get(0)[5];
                shape = String.format(Locale.ROOT, "%,d events%s: %,d users x %,d items, %,d pairs", rows,
                    input == null ? "" : " of " + input, any.userIds().size(),
                    any.itemIds().size(), any.userItems().nnz());
            }
            log.unpersist();
            System.out.println(String.format(Locale.ROOT, "%s, %d iterations, lambda %s, linear alpha %s, %s, %d blocks per side, "
                + "1 thread per task, %s kernels, JDK %s", shape, iterations, lambda, alpha, master, parallelism, ImplicitAls.kernels(),
                Runtime.version()));
        } finally {
            spark.stop();
        }
        lines.forEach(System.out::println);
    }

    /** The generated log of {@code events} events ({@link TrainingBenchmark#generate}), one Spark partition per part. */
    private static Dataset<Row> generated(SparkSession spark, long events) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<Integer> parts = IntStream.range(0, TrainingBenchmark.PARTS).boxed().toList();
        return spark.createDataFrame(jsc.parallelize(parts, TrainingBenchmark.PARTS).mapPartitions(it -> {
            List<Row> rows = new ArrayList<>();
            while (it.hasNext()) {
                TrainingBenchmark.generate(events, it.next(), (u, i, w) -> rows.add(RowFactory.create(u, i, w)));
            }
            return rows.iterator();
        }), SparkImplicitTrainer.PAIRS);
    }

    /** One engine's run: engine, solver, fit seconds, seconds per epoch, our objective, the artifacts. */
    private static Object[] run(SparkSession spark, Dataset<Row> log, long events, ImplicitAlsParams params, InteractionRecipe recipe,
                                SparkImplicitTrainer.Backend backend, int blocks) {
        ModelArtifacts a = SparkImplicitTrainer.train(spark, "bench", log, events, params, 1, 1, recipe,
            new SparkImplicitTrainer.Options(blocks, backend, 1), ProgressLog.stderr());
        double fit = ((Number) a.metadata().training().details().get("fit_seconds")).doubleValue();
        return new Object[] {SparkEngine.engineName(backend), a.metadata().training().solver(), fit,
            a.metadata().training().secondsPerIteration(), TrainingBenchmark.loss(a, params), a};
    }
}
