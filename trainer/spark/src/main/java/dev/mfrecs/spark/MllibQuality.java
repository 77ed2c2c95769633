package dev.mfrecs.spark;

import dev.mfrecs.evaluation.EvalOptions;
import dev.mfrecs.evaluation.EvalResult;
import dev.mfrecs.evaluation.Evaluator;
import dev.mfrecs.evaluation.PairSplit;
import dev.mfrecs.evaluation.Protocol;
import dev.mfrecs.evaluation.Recommender;
import dev.mfrecs.evaluation.SplitFiles;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.Gram;
import dev.mfrecs.factorization.ImplicitFoldIn;
import dev.mfrecs.trainer.data.InteractionFileOptions;

import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Spark MLlib's implicit ALS through the same strong-generalization evaluation as {@code tune}, on split files written by
 * {@code mfrecs-eval split}: a grid over MLlib's {@code regParam} and {@code alpha} at one rank is scored on the validation users,
 * and the best point on the test users, with the metrics of {@link Evaluator}. Held-out users are folded in against MLlib's item
 * factors with MLlib's own objective (confidence {@code 1 + alpha r}, regularization {@code regParam * n_u}, "ALS-WR"), one exact
 * least-squares solve per user, since MLlib has no fold-in. Exists to compare our tuned iALS with the best MLlib ALS we can tune,
 * on the same users and pairs.
 * <p>
 * Usage: {@code MllibQuality --train F --validation-foldin F --validation-heldout F --test-foldin F --test-heldout F
 * [--rank 128] [--iterations 15] [--reg 0.01,0.1] [--alpha 1,10] [--master local[2]] [--k 20,50,100] [--metric ndcg@100]}.
 */
public final class MllibQuality {

    private MllibQuality() {}

    /** MLlib implicit ALS as an evaluation {@link Recommender}. */
    static final class MllibRecommender implements Recommender {
        private final SparkSession spark;
        private final int rank;
        private final int iterations;
        private final double regParam;
        private final double alpha;
        private final long seed;
        private float[] users;
        private float[] items;
        private float[] gram;
        private int itemCount;

        MllibRecommender(SparkSession spark, int rank, int iterations, double regParam, double alpha, long seed) {
            this.spark = spark;
            this.rank = rank;
            this.iterations = iterations;
            this.regParam = regParam;
            this.alpha = alpha;
            this.seed = seed;
        }

        @Override
        public int fit(CsrMatrix train) {
            StructType schema = new StructType().add("uid", DataTypes.IntegerType, false).add("iid", DataTypes.IntegerType, false)
                .add("value", DataTypes.FloatType, false);
            List<Row> rows = new ArrayList<>(train.nnz());
            for (int u = 0; u < train.rows(); u++) {
                for (int p = train.indptr()[u]; p < train.indptr()[u + 1]; p++) {
                    rows.add(RowFactory.create(u, train.indices()[p], train.values()[p]));
                }
            }
            int parallelism = spark.sparkContext().defaultParallelism();
            Dataset<Row> ratings = spark.createDataFrame(rows, schema).repartition(parallelism).cache();
            ALSModel model = new ALS().setImplicitPrefs(true).setRank(rank).setMaxIter(iterations).setRegParam(regParam).setAlpha(alpha)
                .setSeed(seed).setNumUserBlocks(parallelism).setNumItemBlocks(parallelism).setUserCol("uid").setItemCol("iid")
                .setRatingCol("value").fit(ratings);
            itemCount = train.cols();
            items = collect(model.itemFactors(), train.cols());
            users = collect(model.userFactors(), train.rows());
            gram = Gram.compute(items, itemCount, rank);
            ratings.unpersist();
            return iterations;
        }

        private float[] collect(Dataset<Row> factors, int count) {
            float[] out = new float[count * rank];
            for (Row r : factors.collectAsList()) {
                int id = r.getInt(0);
                List<Float> f = r.getList(1);
                for (int k = 0; k < rank; k++) {
                    out[id * rank + k] = f.get(k);
                }
            }
            return out;
        }

        @Override
        public void scoreUser(int u, float[] out) {
            score(users, u * rank, out);
        }

        @Override
        public void scoreHistory(int[] history, float[] values, int n, float[] out) {
            float[] packed = new float[n * rank];
            for (int j = 0; j < n; j++) {
                System.arraycopy(items, history[j] * rank, packed, j * rank, rank);
            }
            float[] user = new float[rank];
            if (n > 0) {
                // MLlib's row objective: confidence 1 + alpha r, lambda scaled by the row's number of positive pairs
                new ImplicitFoldIn(rank).foldIn(gram, (float) (regParam * n), Confidence.linear((float) alpha), packed, values, n, user);
            }
            score(user, 0, out);
        }

        private void score(float[] vector, int off, float[] out) {
            for (int i = 0; i < itemCount; i++) {
                double s = 0;
                int io = i * rank;
                for (int k = 0; k < rank; k++) {
                    s += (double) vector[off + k] * items[io + k];
                }
                out[i] = (float) s;
            }
        }
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> a = new LinkedHashMap<>();
        for (int j = 0; j + 1 < args.length; j += 2) {
            a.put(args[j], args[j + 1]);
        }
        SplitFiles files = SplitFiles.load(new SplitFiles.Paths(path(a, "--train"), null, path(a, "--test-foldin"),
            path(a, "--test-heldout"), null, path(a, "--validation-foldin"), path(a, "--validation-heldout")),
            InteractionFileOptions.implicit(), Float.NEGATIVE_INFINITY, false);
        int rank = Integer.parseInt(a.getOrDefault("--rank", "128"));
        int iterations = Integer.parseInt(a.getOrDefault("--iterations", "15"));
        String metric = a.getOrDefault("--metric", "ndcg@100");
        int[] cutoffs = numbers(a.getOrDefault("--k", "20,50,100")).stream().mapToInt(Double::intValue).toArray();
        EvalOptions options = new EvalOptions(Protocol.STRONG, cutoffs, 0, 0.2, 0.2, 1, 42L, 2);
        SparkSession spark = SparkEngineProvider.session(a.getOrDefault("--master", "local[2]"), "mfrecs MLlib quality");
        spark.sparkContext().setLogLevel("WARN");
        try {
            PairSplit validation = files.validation();
            double bestValue = Double.NEGATIVE_INFINITY;
            double[] best = null;
            for (double reg : numbers(a.getOrDefault("--reg", "0.01,0.1"))) {
                for (double alpha : numbers(a.getOrDefault("--alpha", "1,10"))) {
                    long start = System.nanoTime();
                    EvalResult r = Evaluator.evaluateSplit(new MllibRecommender(spark, rank, iterations, reg, alpha, 42L), "mllib",
                        params(rank, iterations, reg, alpha), files.data(), validation, options);
                    System.out.printf(Locale.ROOT, "mllib(rank=%d, regParam=%s, alpha=%s) valid %s %.4f  (fit %.1fs, total %.1fs)%n", rank,
                        reg, alpha, metric, r.metric(metric), r.trainSeconds(), (System.nanoTime() - start) / 1e9);
                    System.out.flush();
                    if (r.metric(metric) > bestValue) {
                        bestValue = r.metric(metric);
                        best = new double[] { reg, alpha };
                    }
                }
            }
            EvalResult test = Evaluator.evaluateSplit(new MllibRecommender(spark, rank, iterations, best[0], best[1], 42L), "mllib",
                params(rank, iterations, best[0], best[1]), files.data(), files.test(), options);
            System.out.printf(Locale.ROOT, "best: regParam=%s, alpha=%s (valid %s %.4f)%ntest: %s%n", best[0], best[1], metric, bestValue,
                test.metrics());
        } finally {
            spark.stop();
        }
    }

    private static Map<String, Object> params(int rank, int iterations, double reg, double alpha) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("rank", rank);
        p.put("iterations", iterations);
        p.put("regParam", reg);
        p.put("alpha", alpha);
        return p;
    }

    private static Path path(Map<String, String> a, String name) {
        String v = a.get(name);
        if (v == null) {
            throw new IllegalArgumentException("[" + name + "] is required");
        }
        return Path.of(v);
    }

    private static List<Double> numbers(String csv) {
        List<Double> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Double.parseDouble(s.strip()));
        }
        return out;
    }
}
