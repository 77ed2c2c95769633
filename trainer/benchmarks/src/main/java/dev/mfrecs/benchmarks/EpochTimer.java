package dev.mfrecs.benchmarks;

import com.sun.management.OperatingSystemMXBean;

import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.FactorModel;
import dev.mfrecs.factorization.Gram;
import dev.mfrecs.factorization.ImplicitAls;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.ImplicitFoldIn;
import dev.mfrecs.factorization.Solver;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A plain-{@code main} companion of the JMH benchmarks that reports the calling thread's CPU time next to wall time, because on
 * a shared machine wall time mostly measures the other tenants: with one thread the CPU time of an epoch (or of 1000 fold-ins)
 * is the work itself, robust to descheduling. With several threads the process CPU time of an epoch (all threads, the JIT's
 * and the collector's included) is printed too. Same data as {@link ImplicitAlsEpochBenchmark} and {@link FoldInBenchmark}.
 * <pre>
 *   java --add-modules=jdk.incubator.vector -cp mfrecs-benchmarks.jar dev.mfrecs.benchmarks.EpochTimer \
 *       ml1m-pos|ml1m|ml20m FACTORS CG|CHOLESKY THREADS EPOCHS
 *   java --add-modules=jdk.incubator.vector -cp mfrecs-benchmarks.jar dev.mfrecs.benchmarks.EpochTimer foldin FACTORS
 * </pre>
 */
public final class EpochTimer {

    private EpochTimer() {}

    public static void main(String[] args) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (args.length != 2 && args.length != 5) {
            throw new IllegalArgumentException("EpochTimer: expected [foldin FACTORS] or [" + BenchmarkData.SHAPES
                + " FACTORS SOLVER THREADS EPOCHS] (was "
                + Arrays.toString(args) + ")");
        }
        String what = args[0];
        if (what.equals("foldin")) {
            int d = Integer.parseInt(args[1]);
            SplittableRandom random = new SplittableRandom(42);
            int items = 10_000;
            float[] itemFactors = BenchmarkData.gaussian(random, items, d, 0.1);
            float[] gram = Gram.compute(itemFactors, items, d);
            float[] history = new float[100 * d];
            float[] values = new float[100];
            for (int j = 0; j < 100; j++) {
                System.arraycopy(itemFactors, random.nextInt(items) * d, history, j * d, d);
                values[j] = 1 + random.nextInt(5);
            }
            ImplicitFoldIn f = new ImplicitFoldIn(d);
            float[] out = new float[d];
            Confidence c = Confidence.linear(10f);
            double[] cpu = new double[15];
            for (int rep = 0; rep < 15; rep++) {
                long t0 = mx.getCurrentThreadCpuTime();
                for (int k = 0; k < 1000; k++) {
                    f.foldIn(gram, 0.1f, c, history, values, 100, out);
                }
                cpu[rep] = (mx.getCurrentThreadCpuTime() - t0) / 1e3 / 1000;
            }
            Arrays.sort(cpu);
            System.out.printf("foldin d=%d cpu us/op min %.1f median %.1f  out[0]=%s%n", d, cpu[0], cpu[7], out[0]);
            return;
        }
        int d = Integer.parseInt(args[1]);
        Solver solver = Solver.valueOf(args[2]);
        int threads = Integer.parseInt(args[3]);
        int epochs = Integer.parseInt(args[4]);
        CsrMatrix ui = BenchmarkData.shape(what);
        CsrMatrix iu = ui.transpose();
        ImplicitAlsParams p = new ImplicitAlsParams(d, 1, 0.1f, Confidence.linear(10f), solver, 3, 42L, threads);
        FactorModel m = ImplicitAls.initialize(ui, p);
        ImplicitAls.iterate(ui, iu, m, p);
        double[] wall = new double[epochs];
        double[] cpu = new double[epochs];
        double[] processCpu = new double[epochs];
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int e = 0; e < epochs; e++) {
            long w0 = System.nanoTime();
            long c0 = mx.getCurrentThreadCpuTime();
            long p0 = os.getProcessCpuTime();
            ImplicitAls.iterate(ui, iu, m, p);
            cpu[e] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
            processCpu[e] = (os.getProcessCpuTime() - p0) / 1e6;
            wall[e] = (System.nanoTime() - w0) / 1e6;
        }
        double loss = ImplicitAls.loss(ui, m, 0.1f, p.confidence());
        Arrays.sort(wall);
        Arrays.sort(cpu);
        Arrays.sort(processCpu);
        System.out.printf("%s d=%d %s threads=%d nnz=%d: wall ms min %.0f median %.0f; main-thread cpu ms min %.0f median %.0f;"
            + " process cpu ms min %.0f median %.0f; loss %.7e; %s kernels; load average %s; factor checksum %08x %08x%n", what, d,
            solver, threads, ui.nnz(), wall[0], wall[epochs / 2], cpu[0], cpu[epochs / 2], processCpu[0], processCpu[epochs / 2], loss,
            ImplicitAls.kernels(), TrainTimer.loadAverage(), Arrays.hashCode(m.userFactors()), Arrays.hashCode(m.itemFactors()));
    }
}
