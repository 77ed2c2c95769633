package dev.mfrecs.spark;

import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.contract.TrainingSummary;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.FactorModel;
import dev.mfrecs.factorization.ImplicitAls;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.factorization.TrainingListener;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelArtifacts;
import dev.mfrecs.trainer.train.ImplicitTrainer;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our row solver on Spark {@code local[2]} ({@link SparkIals}, {@code --engine spark}) against the single-machine trainer on the
 * same synthetic data with a known low-rank structure: the same objective ({@link ImplicitAls#loss} with the run's confidence and
 * Rendle options) after the same epochs, for the classic objective with linear confidence and conjugate gradient and for Rendle's
 * with log confidence and Cholesky, and the same factors for any number of blocks, task threads and way of fetching results.
 * No Elasticsearch here; {@code SparkTrainIT} runs the engines against a real node.
 */
class SparkIalsTest {

    static final int USERS = 700;
    static final int ITEMS = 260;
    static final int RANK = 4;

    private static SparkSession spark;
    private static JavaSparkContext jsc;
    /** The generated events as user, item, count; the same list feeds both engines. */
    private static final List<Row> EVENTS = new ArrayList<>();
    private static CsrMatrix matrix;

    @BeforeAll
    static void setUp() {
        spark = SparkSession.builder().master("local[2]").appName("SparkIalsTest").config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4").getOrCreate();
        jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // users and items with rank-4 Gaussian tastes; a user picks the items of highest score (plus noise), with counts 1-4
        SplittableRandom random = new SplittableRandom(21);
        double[] u = gaussian(random, USERS * RANK);
        double[] v = gaussian(random, ITEMS * RANK);
        List<int[]> triplets = new ArrayList<>();
        for (int a = 0; a < USERS; a++) {
            int n = 5 + random.nextInt(25);
            double[] score = new double[ITEMS];
            Integer[] order = new Integer[ITEMS];
            for (int i = 0; i < ITEMS; i++) {
                for (int f = 0; f < RANK; f++) {
                    score[i] += u[a * RANK + f] * v[i * RANK + f];
                }
                score[i] += 0.5 * random.nextGaussian();
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> Double.compare(score[y], score[x]));
            for (int j = 0; j < n; j++) {
                int count = 1 + random.nextInt(4);
                triplets.add(new int[] {a, order[j], count});
                EVENTS.add(RowFactory.create("u" + a, "i" + order[j], (float) count));
            }
        }
        int[] rows = new int[triplets.size()];
        int[] cols = new int[triplets.size()];
        float[] vals = new float[triplets.size()];
        for (int p = 0; p < triplets.size(); p++) {
            rows[p] = triplets.get(p)[0];
            cols[p] = triplets.get(p)[1];
            vals[p] = triplets.get(p)[2];
        }
        matrix = CsrMatrix.fromTriplets(USERS, ITEMS, rows, cols, vals, rows.length);
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
    }

    static double[] gaussian(SplittableRandom random, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextGaussian();
        }
        return out;
    }

    static ImplicitAlsParams classicLinearCg() {
        return new ImplicitAlsParams(16, 8, 0.1f, Confidence.linear(2f), Solver.CG, 3, 42L, 2);
    }

    static ImplicitAlsParams rendleLogCholesky() {
        return new ImplicitAlsParams(16, 8, 0.05f, Confidence.log(4f, 1f), Solver.CHOLESKY, 3, 7L, 2).withRendle(0.2f, 1f);
    }

    static double loss(CsrMatrix m, FactorModel f, ImplicitAlsParams p) {
        return ImplicitAls.loss(m, f, p.regularization(), p.confidence(), p.rendle());
    }

    static double loss(ModelArtifacts a, ImplicitAlsParams p) {
        FactorModel f = new FactorModel(a.vectorDims(), a.userIds().size(), a.itemIds().size(), a.userVectors(), a.itemVectors());
        return loss(a.userItems(), f, p);
    }

    @Test
    void classicLinearConjugateGradientMatchesTheLocalTrainer() {
        assertSameAsLocal(classicLinearCg());
    }

    @Test
    void rendleLogCholeskyMatchesTheLocalTrainer() {
        assertSameAsLocal(rendleLogCholesky());
    }

    /** The same epochs from the same initialization: within 1% of the local objective (in fact the same factors, bit for bit). */
    private static void assertSameAsLocal(ImplicitAlsParams p) {
        FactorModel local = ImplicitAls.train(matrix, p, TrainingListener.NONE);
        List<Integer> seen = new ArrayList<>();
        SparkIals.Result remote = SparkIals.train(jsc, matrix, p, 3, 1, (it, total, s) -> seen.add(it));
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), seen);
        assertEquals(3, remote.blocks());
        double untrained = loss(matrix, ImplicitAls.initialize(matrix, p), p);
        double localLoss = loss(matrix, local, p);
        double sparkLoss = loss(matrix, remote.model(), p);
        System.err.printf(Locale.ROOT, "%s: objective untrained %.2f, local %.4f, spark %.4f (ratio %.6f)%n", p, untrained, localLoss,
            sparkLoss, sparkLoss / localLoss);
        assertTrue(localLoss < untrained / 2, "training reduces the objective: " + localLoss + " vs " + untrained);
        assertTrue(Math.abs(sparkLoss / localLoss - 1) < 0.01, "spark objective within 1% of local: " + sparkLoss + " vs " + localLoss);
        assertArrayEquals(local.userFactors(), remote.model().userFactors());
        assertArrayEquals(local.itemFactors(), remote.model().itemFactors());
    }

    @Test
    void resultsDoNotDependOnBlocksTaskThreadsOrHowResultsAreFetched() {
        for (ImplicitAlsParams p : List.of(classicLinearCg().withIterations(3), rendleLogCholesky().withIterations(3))) {
            FactorModel one = SparkIals.train(jsc, matrix, p, 1, 1, null).model();
            assertFalse(Arrays.equals(one.userFactors(), ImplicitAls.initialize(matrix, p).userFactors()), "training moves the users");
            for (int blocks : new int[] {2, 5, 11}) {
                FactorModel many = SparkIals.train(jsc, matrix, p, blocks, 2, null).model();
                assertArrayEquals(one.userFactors(), many.userFactors(), p.solver() + " blocks " + blocks);
                assertArrayEquals(one.itemFactors(), many.itemFactors(), p.solver() + " blocks " + blocks);
            }
            // a result limit below the factors' size: every block solved in one job, then fetched one at a time
            FactorModel fetched = SparkIals.train(jsc, matrix, p, 4, 1, null, 1024).model();
            assertArrayEquals(one.userFactors(), fetched.userFactors(), p.solver() + " fetched block by block");
            assertArrayEquals(one.itemFactors(), fetched.itemFactors(), p.solver() + " fetched block by block");
        }
    }

    @Test
    void cutsBalanceWorkAndCoverEveryRowOnce() {
        int[] cuts = SparkIals.cuts(matrix, 5, 16);
        assertEquals(6, cuts.length);
        assertEquals(0, cuts[0]);
        assertEquals(USERS, cuts[5]);
        double total = matrix.nnz() + 16.0 * USERS;
        for (int b = 0; b < 5; b++) {
            assertTrue(cuts[b + 1] > cuts[b], "block " + b + " is not empty: " + Arrays.toString(cuts));
            double work = matrix.indptr()[cuts[b + 1]] - matrix.indptr()[cuts[b]] + 16.0 * (cuts[b + 1] - cuts[b]);
            assertTrue(Math.abs(work - total / 5) < 0.05 * total, "block " + b + " holds about a fifth of the work: " + work);
        }
        // more blocks than rows: the extra blocks are empty, and training still covers every row
        CsrMatrix tiny = CsrMatrix.fromTriplets(2, 3, new int[] {0, 1, 1}, new int[] {0, 1, 2}, new float[] {1, 2, 1}, 3);
        int[] many = SparkIals.cuts(tiny, 4, 2);
        assertEquals(2, many[4]);
        ImplicitAlsParams p = new ImplicitAlsParams(2, 2, 0.1f, Confidence.linear(1f), Solver.CHOLESKY, 3, 1L, 1);
        assertArrayEquals(ImplicitAls.train(tiny, p, null).userFactors(), SparkIals.train(jsc, tiny, p, 4, 1, null).model().userFactors());
        var e = assertThrows(IllegalArgumentException.class, () -> SparkIals.train(jsc, tiny, p, 0, 1, null));
        assertEquals("SparkIals.train: [blocks] and [taskThreads] must be > 0 (were [0], [1])", e.getMessage());
    }

    @Test
    void sparkEngineOnEventsPublishesWhatTheLocalEngineDoes() {
        InteractionRecipe recipe = InteractionRecipe.implicitEvents(InteractionFields.defaults("generated"));
        InteractionMatrix.Accumulator acc = new InteractionMatrix.Accumulator();
        for (Row r : EVENTS) {
            acc.add(r.getString(0), r.getString(1), r.getFloat(2));
        }
        InteractionMatrix data = acc.build(1, 1);
        for (ImplicitAlsParams p : List.of(classicLinearCg(), rendleLogCholesky())) {
            ModelArtifacts local = ImplicitTrainer.train("m", data, p, recipe, ProgressLog.stderr());
            ModelArtifacts ours = SparkImplicitTrainer.train(spark, "m", spark.createDataFrame(EVENTS, SparkImplicitTrainer.PAIRS),
                EVENTS.size(), p, 1, 1, recipe, new SparkImplicitTrainer.Options(3), ProgressLog.stderr());
            double localLoss = loss(local, p);
            double sparkLoss = loss(ours, p);
            System.err.printf(Locale.ROOT, "published models, %s: objective local %.4f, spark %.4f (ratio %.6f)%n", p.solver(), localLoss,
                sparkLoss, sparkLoss / localLoss);
            // users and items are numbered differently (so the random start differs): the same objective within 1%
            assertTrue(Math.abs(sparkLoss / localLoss - 1) < 0.01, "spark objective within 1% of local: " + sparkLoss + " vs "
                + localLoss);
            assertEquals(local.userItems().nnz(), ours.userItems().nnz());
            TrainingSummary summary = ours.metadata().training();
            assertEquals("spark", summary.engine());
            assertEquals(p.solver().name().toLowerCase(Locale.ROOT), summary.solver());
            assertEquals(Set.of("spark_version", "master", "backend", "blocks", "task_threads", "cg_steps", "prepare_seconds",
                "fit_seconds", "collect_seconds", "user_sweep_seconds"), summary.details().keySet());
            assertEquals("mfrecs", summary.details().get("backend"));
            double fit = ((Number) summary.details().get("fit_seconds")).doubleValue();
            assertEquals(fit / p.iterations(), summary.secondsPerIteration(), 1e-9);
            // stored users are the exact solve against the stored items: what the plugin's fold-in computes
            float[] again = new float[ours.userVectors().length];
            ImplicitAls.halfSweep(ours.userItems(), ours.itemVectors(), ours.itemIds().size(), again, p.withSolver(Solver.CHOLESKY));
            assertArrayEquals(again, ours.userVectors());
        }
        // ids are numbered in sorted order, so the same events give the same model on every run, whatever the blocks
        ModelArtifacts first = SparkImplicitTrainer.train(spark, "m", spark.createDataFrame(EVENTS, SparkImplicitTrainer.PAIRS),
            EVENTS.size(), rendleLogCholesky(), 1, 1, recipe, new SparkImplicitTrainer.Options(1), ProgressLog.stderr());
        ModelArtifacts second = SparkImplicitTrainer.train(spark, "m", spark.createDataFrame(EVENTS, SparkImplicitTrainer.PAIRS),
            EVENTS.size(), rendleLogCholesky(), 1, 1, recipe, new SparkImplicitTrainer.Options(4), ProgressLog.stderr());
        assertEquals(first.userIds(), second.userIds());
        assertEquals(first.itemIds(), second.itemIds());
        assertTrue(first.userIds().get(0).compareTo(first.userIds().get(1)) < 0, "sorted ids: " + first.userIds().subList(0, 2));
        assertArrayEquals(first.userVectors(), second.userVectors());
        assertArrayEquals(first.itemVectors(), second.itemVectors());
        // MLlib's ALS stays selectable (--engine spark-mllib) and records its backend and regParam
        ImplicitAlsParams p = classicLinearCg().withSolver(Solver.CHOLESKY);
        ModelArtifacts mllib = SparkImplicitTrainer.train(spark, "m", spark.createDataFrame(EVENTS, SparkImplicitTrainer.PAIRS),
            EVENTS.size(), p, 1, 1, recipe, new SparkImplicitTrainer.Options(2, SparkImplicitTrainer.Backend.MLLIB, 1),
            ProgressLog.stderr());
        TrainingSummary summary = mllib.metadata().training();
        assertEquals("spark", summary.engine());
        assertEquals("mllib", summary.solver());
        assertEquals("mllib", summary.details().get("backend"));
        assertTrue(summary.details().containsKey("reg_param"), summary.details().toString());
        double untrained = ImplicitAls.loss(mllib.userItems(), ImplicitAls.initialize(mllib.userItems(), p), p.regularization(),
            p.confidence());
        assertTrue(loss(mllib, p) < untrained / 2, "MLlib training reduces our objective too");
    }
}
