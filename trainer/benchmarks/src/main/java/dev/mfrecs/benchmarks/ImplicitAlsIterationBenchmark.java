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
 * One full implicit-ALS iteration (users then items) on 50k users x 10k items with about 1M interactions at d = 64, per row
 * solver: the unit of training time, which sizes how long a nightly retrain takes. Uses every available core, as the
 * trainer does; each invocation continues from the previous one's factors (warm start, as in training).
 */
@State(Scope.Benchmark)
@Fork(jvmArgsAppend = "--add-modules=jdk.incubator.vector")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ImplicitAlsIterationBenchmark {

    @Param({ "CG", "CHOLESKY" })
    Solver solver;

    @Param({ "64" })
    int factors;

    private CsrMatrix userItems;
    private CsrMatrix itemUsers;
    private FactorModel model;
    private ImplicitAlsParams params;

    @Setup
    public void setup() {
        userItems = BenchmarkData.interactions(50_000, 10_000, 1_000_000, 42);
        itemUsers = userItems.transpose();
        params = new ImplicitAlsParams(factors, 1, 0.1f, Confidence.linear(10f), solver, 3, 42L,
            Runtime.getRuntime().availableProcessors());
        model = ImplicitAls.initialize(userItems, params);
    }

    @Benchmark
    public FactorModel iteration() {
        ImplicitAls.iterate(userItems, itemUsers, model, params);
        return model;
    }
}
