package dev.mfrecs.benchmarks;

import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.Gram;
import dev.mfrecs.factorization.ImplicitFoldIn;

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
 * Query-time fold-in of a new user from a 100-item history, the work the plugin does per {@code mf_recommend} request with a
 * history; the product requires it to stay under 1 ms at d = 128.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class FoldInBenchmark {

    @Param({ "64", "128" })
    int factors;

    @Param({ "100" })
    int historySize;

    private ImplicitFoldIn foldIn;
    private float[] gram;
    private float[] history;
    private float[] values;
    private float[] out;
    private final Confidence confidence = Confidence.linear(10f);

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(42);
        int items = 10_000;
        float[] itemFactors = BenchmarkData.gaussian(random, items, factors, 0.1);
        gram = Gram.compute(itemFactors, items, factors);
        history = new float[historySize * factors];
        values = new float[historySize];
        for (int j = 0; j < historySize; j++) {
            int item = random.nextInt(items);
            System.arraycopy(itemFactors, item * factors, history, j * factors, factors);
            values[j] = 1 + random.nextInt(5);
        }
        foldIn = new ImplicitFoldIn(factors);
        out = new float[factors];
    }

    @Benchmark
    public float[] foldIn() {
        foldIn.foldIn(gram, 0.1f, confidence, history, values, historySize, out);
        return out;
    }
}
