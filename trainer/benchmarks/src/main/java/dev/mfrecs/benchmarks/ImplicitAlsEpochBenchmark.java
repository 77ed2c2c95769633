package dev.mfrecs.benchmarks;

import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.FactorModel;
import dev.mfrecs.factorization.ImplicitAls;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One implicit-ALS epoch (users then items) on generated data shaped like the MovieLens data sets the speed targets refer
 * to, for a grid of latent dimensions, both row solvers and explicit thread counts: {@code ml1m} is 6,040 users x 3,706 items
 * with about 1M stored pairs, {@code ml20m} 138,493 users x 26,744 items with about 10M, both with power-law user activity and
 * item popularity (see {@link BenchmarkData#powerLaw}). Each invocation continues from the previous one's factors (warm start,
 * as in training). Unlike {@link ImplicitAlsIterationBenchmark} the thread count is a parameter, so 1- and 2-thread scaling can
 * be read off one run.
 */
@State(Scope.Benchmark)
@Fork(jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ImplicitAlsEpochBenchmark {

    @Param({ "ml1m", "ml20m" })
    String shape;

    @Param({ "32", "64", "128", "256" })
    int factors;

    @Param({ "CG", "CHOLESKY" })
    Solver solver;

    @Param({ "1", "2" })
    int threads;

    private CsrMatrix userItems;
    private CsrMatrix itemUsers;
    private FactorModel model;
    private ImplicitAlsParams params;

    @Setup
    public void setup() {
        userItems = BenchmarkData.shape(shape);
        itemUsers = userItems.transpose();
        params = new ImplicitAlsParams(factors, 1, 0.1f, Confidence.linear(10f), solver, 3, 42L, threads);
        model = ImplicitAls.initialize(userItems, params);
        // one epoch first, so the measured ones start from factors of a realistic scale rather than the 0.01 initialization
        ImplicitAls.iterate(userItems, itemUsers, model, params);
        System.out.println("# " + shape + ": " + userItems.rows() + " x " + userItems.cols() + ", nnz " + userItems.nnz());
    }

    @Benchmark
    public FactorModel epoch() {
        ImplicitAls.iterate(userItems, itemUsers, model, params);
        return model;
    }
}
