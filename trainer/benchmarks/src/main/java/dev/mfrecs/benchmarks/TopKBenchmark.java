package dev.mfrecs.benchmarks;

import dev.mfrecs.factorization.TopK;

import java.util.BitSet;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Exact brute-force top-10 over a 10k-item catalog at d = 64, with and without 100 seen items excluded: the cost of the
 * exact scorer small catalogs use and the reference the approximate kNN path is checked against.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TopKBenchmark {

    @Param({ "10000" })
    int items;

    @Param({ "64" })
    int factors;

    private float[] itemFactors;
    private float[] user;
    private BitSet seen;

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(42);
        itemFactors = BenchmarkData.gaussian(random, items, factors, 0.1);
        user = BenchmarkData.gaussian(random, 1, factors, 1.0);
        seen = new BitSet(items);
        while (seen.cardinality() < 100) {
            seen.set(random.nextInt(items));
        }
    }

    @Benchmark
    public int[] recommend() {
        return TopK.recommend(user, itemFactors, items, factors, 10, null);
    }

    @Benchmark
    public int[] recommendExcludingSeen() {
        return TopK.recommend(user, itemFactors, items, factors, 10, seen::get);
    }
}
