package dev.mfrecs.spark;

import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ConfidenceKind;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.FactorModel;
import dev.mfrecs.factorization.Gram;
import dev.mfrecs.factorization.ImplicitAls;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.factorization.TrainingListener;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Implicit ALS with this project's own row solver ({@link ImplicitAls#halfSweep(CsrMatrix, float[], int, float[], ImplicitAlsParams,
 * float[])}) running in the Spark executors: the engine behind {@code --engine spark}. It exists because MLlib's ALS solves a
 * different objective (ALS-WR regularization, no Rendle options, no conjugate gradient) and, on the same machine, several times
 * more slowly than our kernels; with this class a Spark run optimizes exactly the local engine's objective.
 * <p>
 * Users are cut into blocks of consecutive rows, each a local {@link CsrMatrix} of its rows with global item column numbers, and
 * items likewise (item-major blocks of the transpose); the blocks are cached once in the executors. Every half-sweep the driver
 * computes the fixed side's Gram matrix once, broadcasts it with the fixed factors, sends each block only its own current factors
 * (the conjugate-gradient warm start; nothing for Cholesky), and every partition solves its rows with {@code threads = task
 * threads} and returns them. The driver keeps both factor matrices (it publishes them) and starts from {@link ImplicitAls#initialize}
 * with the same seed. Because a row's solve reads only the fixed side, the Gram matrix and its own entries, the result is
 * bit-identical to {@link ImplicitAls#train} for any number of blocks and partitions. Payloads are flat primitive arrays.
 */
public final class SparkIals {

    /** Payload of one block and of its solved factors that keeps a task comfortably below {@code spark.rpc.message.maxSize}. */
    static final long MAX_BLOCK_BYTES = 64L << 20;

    private SparkIals() {}

    /** What a run did: the model and the seconds spent in the distributed iterations. */
    public record Result(FactorModel model, int blocks, double seconds) {}

    /**
     * Trains {@code params.iterations()} iterations of {@code userItems} on {@code jsc} in at least {@code blocks} blocks per side
     * (more when a block would exceed {@link #MAX_BLOCK_BYTES}), solving with {@code taskThreads} threads in each task. The
     * driver computes Gram matrices with {@code params.threads()}.
     */
    public static Result train(JavaSparkContext jsc, CsrMatrix userItems, ImplicitAlsParams params, int blocks, int taskThreads,
                               TrainingListener listener) {
        return train(jsc, userItems, params, blocks, taskThreads, listener, jsc.getConf().getSizeAsBytes("spark.driver.maxResultSize",
            "1g"));
    }

    /** As above, with {@code resultLimit} in place of {@code spark.driver.maxResultSize} (tests: the block-by-block fetch). */
    static Result train(JavaSparkContext jsc, CsrMatrix userItems, ImplicitAlsParams params, int blocks, int taskThreads,
                        TrainingListener listener, long resultLimit) {
        if (blocks <= 0 || taskThreads <= 0) {
            throw new IllegalArgumentException("SparkIals.train: [blocks] and [taskThreads] must be > 0 (were [" + blocks + "], ["
                + taskThreads + "])");
        }
        TrainingListener l = listener == null ? TrainingListener.NONE : listener;
        long start = System.nanoTime();
        int d = params.factors();
        CsrMatrix itemUsers = userItems.transpose();
        FactorModel model = ImplicitAls.initialize(userItems, params);
        int n = Math.max(blocks, Math.max(blocksFor(userItems, d), blocksFor(itemUsers, d)));
        int[] userCuts = cuts(userItems, n, d);
        int[] itemCuts = cuts(itemUsers, n, d);
        JavaRDD<RowBlock> users = jsc.parallelize(RowBlock.split(userItems, userCuts), n).persist(StorageLevel.MEMORY_AND_DISK());
        JavaRDD<RowBlock> items = jsc.parallelize(RowBlock.split(itemUsers, itemCuts), n).persist(StorageLevel.MEMORY_AND_DISK());
        ImplicitAlsParams task = params.withThreads(taskThreads);
        try {
            for (int it = 1; it <= params.iterations(); it++) {
                long itStart = System.nanoTime();
                halfSweep(jsc, users, userCuts, model.itemFactors(), model.items(), model.userFactors(), params, task, resultLimit);
                halfSweep(jsc, items, itemCuts, model.userFactors(), model.users(), model.itemFactors(), params, task, resultLimit);
                l.iteration(it, params.iterations(), (System.nanoTime() - itStart) / 1e9);
            }
        } finally {
            users.unpersist(false);
            items.unpersist(false);
        }
        return new Result(model, n, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Re-solves every row of the cached {@code blocks} (cut at {@code cuts}) against {@code fixed} and writes them into
     * {@code solved}, on the driver, in place. Results larger than half of {@code resultLimit} (Spark's
     * {@code spark.driver.maxResultSize}; 0 for none) are fetched block by block instead of in one {@code collect}.
     */
    static void halfSweep(JavaSparkContext jsc, JavaRDD<RowBlock> blocks, int[] cuts, float[] fixed, int fixedCount, float[] solved,
                          ImplicitAlsParams driver, ImplicitAlsParams task, long resultLimit) {
        int d = driver.factors();
        float[] gram = Gram.compute(fixed, fixedCount, d, driver.threads());
        Broadcast<float[]> fixedB = jsc.broadcast(fixed);
        Broadcast<float[]> gramB = jsc.broadcast(gram);
        int n = cuts.length - 1;
        // conjugate gradient starts from each block's current rows; Cholesky does not read them
        boolean warm = task.solver() == Solver.CG;
        List<float[]> starts = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            starts.add(warm ? Arrays.copyOfRange(solved, cuts[b] * d, cuts[b + 1] * d) : new float[0]);
        }
        JavaRDD<float[]> cached = null;
        TaskParams taskParams = TaskParams.of(task);
        try {
            JavaRDD<float[]> out = blocks.zipPartitions(jsc.parallelize(starts, n), (blockIt, startIt) -> {
                ImplicitAlsParams params = taskParams.params();
                List<float[]> result = new ArrayList<>(1);
                while (blockIt.hasNext()) {
                    RowBlock block = blockIt.next();
                    float[] start = startIt.next();
                    float[] rows = start.length == block.rows * d ? start : new float[block.rows * d];
                    ImplicitAls.halfSweep(block.matrix(), fixedB.value(), fixedCount, rows, params, gramB.value());
                    result.add(rows);
                }
                return result.iterator();
            });
            long bytes = 4L * solved.length + 1024L * n;
            Iterator<float[]> results;
            if (resultLimit <= 0 || bytes <= resultLimit / 2) {
                results = out.collect().iterator();
            } else {
                // more than spark.driver.maxResultSize allows in one job: solve all blocks in one job, then fetch them one by one
                out = out.persist(StorageLevel.MEMORY_AND_DISK());
                cached = out;
                out.count();
                results = out.toLocalIterator();
            }
            int b = 0;
            for (Iterator<float[]> it = results; it.hasNext(); b++) {
                float[] rows = it.next();
                System.arraycopy(rows, 0, solved, cuts[b] * d, rows.length);
            }
            if (b != n) {
                throw new IllegalStateException("SparkIals: [" + n + "] blocks were sent but [" + b + "] came back");
            }
        } finally {
            if (cached != null) {
                cached.unpersist(false);
            }
            fixedB.destroy();
            gramB.destroy();
        }
    }

    /** Blocks needed so that no block's entries plus factors exceed {@link #MAX_BLOCK_BYTES} on average (balanced cuts). */
    static int blocksFor(CsrMatrix m, int d) {
        long bytes = 8L * m.nnz() + 4L * m.rows() + 4L * d * m.rows();
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, (bytes + MAX_BLOCK_BYTES - 1) / MAX_BLOCK_BYTES));
    }

    /**
     * {@code n + 1} increasing row boundaries from 0 to {@code m.rows()} that give every block about the same work, counted as
     * entries plus {@code d} per row (a row's solve costs about {@code entries * d + d^2} either way); blocks may be empty when
     * there are fewer rows than blocks.
     */
    static int[] cuts(CsrMatrix m, int n, int d) {
        int[] indptr = m.indptr();
        int rows = m.rows();
        double total = (double) m.nnz() + (double) d * rows;
        int[] cuts = new int[n + 1];
        int r = 0;
        for (int b = 1; b < n; b++) {
            double target = total * b / n;
            while (r < rows && indptr[r + 1] + (double) d * (r + 1) <= target) {
                r++;
            }
            cuts[b] = Math.max(cuts[b - 1], r);
        }
        cuts[n] = rows;
        return cuts;
    }

    /**
     * The solver settings a task needs, as primitives: {@link ImplicitAlsParams} is not {@link Serializable} (the factorization
     * library does not depend on any serialization framework), and Spark ships closures with Java serialization.
     */
    record TaskParams(int factors, float regularization, int confidenceKind, float alpha, float epsilon, int solver, int cgSteps,
                      long seed, int threads, float alpha0, float nu) implements Serializable {

        static TaskParams of(ImplicitAlsParams p) {
            return new TaskParams(p.factors(), p.regularization(), p.confidence().kind().ordinal(), p.confidence().alpha(),
                p.confidence().epsilon(), p.solver().ordinal(), p.cgSteps(), p.seed(), p.threads(), p.rendle().alpha0(), p.rendle().nu());
        }

        ImplicitAlsParams params() {
            return new ImplicitAlsParams(factors, 0, regularization, new Confidence(ConfidenceKind.values()[confidenceKind], alpha,
                epsilon), Solver.values()[solver], cgSteps, seed, threads, new ImplicitAlsParams.Rendle(alpha0, nu));
        }
    }

    /**
     * Rows {@code [first, first + rows)} of one side as a CSR of flat primitive arrays (local row pointers, global column
     * numbers), serialized once into the executors' cache.
     */
    static final class RowBlock implements Serializable {
        private static final long serialVersionUID = 1L;

        final int first;
        final int rows;
        final int cols;
        final int[] indptr;
        final int[] indices;
        final float[] values;
        private transient CsrMatrix matrix;

        RowBlock(int first, int rows, int cols, int[] indptr, int[] indices, float[] values) {
            this.first = first;
            this.rows = rows;
            this.cols = cols;
            this.indptr = indptr;
            this.indices = indices;
            this.values = values;
        }

        /** The blocks of {@code m} cut at {@code cuts}. */
        static List<RowBlock> split(CsrMatrix m, int[] cuts) {
            List<RowBlock> out = new ArrayList<>(cuts.length - 1);
            int[] ptr = m.indptr();
            for (int b = 0; b + 1 < cuts.length; b++) {
                int from = cuts[b];
                int to = cuts[b + 1];
                int[] local = new int[to - from + 1];
                for (int r = from; r <= to; r++) {
                    local[r - from] = ptr[r] - ptr[from];
                }
                out.add(new RowBlock(from, to - from, m.cols(), local, Arrays.copyOfRange(m.indices(), ptr[from], ptr[to]),
                    Arrays.copyOfRange(m.values(), ptr[from], ptr[to])));
            }
            return out;
        }

        /** The block as a matrix (validated once per executor copy). */
        CsrMatrix matrix() {
            if (matrix == null) {
                matrix = CsrMatrix.of(rows, cols, indptr, indices, values);
            }
            return matrix;
        }
    }
}
