package dev.mfrecs.benchmarks;

import com.sun.management.OperatingSystemMXBean;

import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.FactorModel;
import dev.mfrecs.factorization.ImplicitAls;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One whole training run in a fresh JVM, timed the way {@code recsys train} records it in {@code model.json}: what
 * {@code ImplicitTrainer} does ({@link ImplicitAls#train} for the iterations, then one exact user half-sweep so stored users equal
 * the plugin's fold-in), with {@code seconds_per_iteration} = that total / iterations. Unlike {@link EpochTimer} nothing is warmed
 * up first, so the first iteration carries the JIT compilation of the kernels as it does for a user; the warm iterations are
 * reported separately. Parameters are the CLI's defaults apart from {@code factors}: lambda 0.1, linear confidence alpha 10, CG
 * with 3 steps, 15 iterations, seed 42.
 * <p>
 * Also prints the peak resident set size of the process ({@code VmHWM}) next to the bytes of the data it holds by necessity:
 * the users x items CSR, its items x users transpose and the two factor matrices. The input is a named shape of
 * {@link BenchmarkData#shape} (generated in this JVM, so the peak includes the generator's garbage) or a directory written by
 * {@link DumpData} (read straight into the CSR arrays: the peak is the training run's).
 * <pre>
 *   java --add-modules=jdk.incubator.vector -cp mfrecs-benchmarks.jar dev.mfrecs.benchmarks.TrainTimer \
 *       SHAPE|DUMP_DIRECTORY FACTORS [THREADS [ITERATIONS [CG|CHOLESKY]]]
 * </pre>
 * THREADS defaults to the available processors (the CLI's default).
 */
public final class TrainTimer {

    private TrainTimer() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 5) {
            throw new IllegalArgumentException("TrainTimer: expected [" + BenchmarkData.SHAPES
                + "|DUMP_DIRECTORY FACTORS [THREADS [ITERATIONS [CG|CHOLESKY]]]] (was " + Arrays.toString(args) + ")");
        }
        String input = args[0];
        int d = Integer.parseInt(args[1]);
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
        int iterations = args.length > 3 ? Integer.parseInt(args[3]) : 15;
        Solver solver = args.length > 4 ? Solver.valueOf(args[4]) : Solver.CG;
        long load0 = System.nanoTime();
        CsrMatrix ui;
        String shape;
        if (Files.isDirectory(Path.of(input))) {
            ui = read(Path.of(input));
            shape = header(Path.of(input)).getOrDefault("shape", input);
        } else {
            ui = BenchmarkData.shape(input);
            shape = input;
        }
        double loadSeconds = (System.nanoTime() - load0) / 1e9;
        long rssLoaded = status("VmHWM");
        ImplicitAlsParams params = new ImplicitAlsParams(d, iterations, 0.1f, Confidence.linear(10f), solver, 3, 42L, threads);
        List<Double> perIteration = new ArrayList<>();
        long cpu0 = processCpuNanos();
        long start = System.nanoTime();
        FactorModel model = ImplicitAls.train(ui, params, (it, n, seconds) -> perIteration.add(seconds));
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        long final0 = System.nanoTime();
        // ImplicitTrainer's last exact user half-sweep (what model.json's time includes)
        ImplicitAls.halfSweep(ui, model.itemFactors(), model.items(), model.userFactors(), params.withSolver(Solver.CHOLESKY));
        double finalSeconds = (System.nanoTime() - final0) / 1e9;
        double total = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpu0) / 1e9;
        long rssPeak = status("VmHWM");
        double loss = ImplicitAls.loss(ui, model, params.regularization(), params.confidence());

        double[] warm = perIteration.stream().skip(1).mapToDouble(Double::doubleValue).sorted().toArray();
        double warmMean = Arrays.stream(warm).average().orElse(Double.NaN);
        StringBuilder each = new StringBuilder();
        for (double s : perIteration) {
            each.append(each.isEmpty() ? "" : " ").append(String.format(Locale.ROOT, "%.0f", s * 1e3));
        }
        long csr = csrBytes(ui);
        long factors = 4L * d * ((long) ui.rows() + ui.cols());
        System.out.printf(Locale.ROOT, "train %s d=%d %s threads=%d iterations=%d nnz=%d users=%d items=%d kernels=%s%n", shape, d, solver,
            threads, iterations, ui.nnz(), ui.rows(), ui.cols(), ImplicitAls.kernels());
        System.out.printf(Locale.ROOT, "  iteration ms: %s%n", each);
        System.out.printf(Locale.ROOT, "  first %.0f ms; warm mean %.0f median %.0f min %.0f ms; final exact user sweep %.0f ms%n",
            perIteration.isEmpty() ? Double.NaN : perIteration.get(0) * 1e3, warmMean * 1e3,
            warm.length == 0 ? Double.NaN : warm[warm.length / 2] * 1e3, warm.length == 0 ? Double.NaN : warm[0] * 1e3, finalSeconds * 1e3);
        System.out.printf(Locale.ROOT, "  seconds_per_iteration %.4f (train %.3f s + final sweep %.3f s over %d); process cpu %.2f s; "
            + "loss %.7e; load %.1f s; load average %s%n", iterations == 0 ? 0 : total / iterations, trainSeconds, finalSeconds, iterations,
            cpuSeconds, loss, loadSeconds, loadAverage());
        System.out.printf(Locale.ROOT, "  peak rss %.1f MB (%.1f MB after loading); csr %.1f MB, +transpose %.1f MB, factors %.1f MB: "
            + "peak / (csr + factors) = %.2f, peak / (csr + transpose + factors) = %.2f%n", rssPeak / 1e6, rssLoaded / 1e6, csr / 1e6,
            2 * csr / 1e6, factors / 1e6, rssPeak / (double) (csr + factors), rssPeak / (double) (2 * csr + factors));
        System.out.printf(Locale.ROOT, "  factor checksum users %08x items %08x%n", Arrays.hashCode(model.userFactors()),
            Arrays.hashCode(model.itemFactors()));
    }

    /** Bytes of a CSR's three arrays (as allocated: {@code indptr} rows + 1, {@code indices} and {@code values} nnz). */
    static long csrBytes(CsrMatrix m) {
        return 4L * (m.rows() + 1) + 4L * m.indices().length + 4L * m.values().length;
    }

    /** A {@code /proc/self/status} field in bytes (Linux; -1 elsewhere). */
    static long status(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Map<String, String> header(Path dir) throws IOException {
        String json = Files.readString(dir.resolve("header.json"));
        Map<String, String> out = new HashMap<>();
        Matcher m = Pattern.compile("\"(\\w+)\":\\s*\"?([^,\"}]+)\"?").matcher(json);
        while (m.find()) {
            out.put(m.group(1), m.group(2).trim());
        }
        return out;
    }

    /**
     * Reads {@link DumpData}'s raw little-endian CSR into its arrays through a 1 MB buffer, so nothing but the matrix itself stays
     * allocated (the peak RSS then is the training's, not a loader's).
     */
    static CsrMatrix read(Path dir) throws IOException {
        Map<String, String> h = header(dir);
        int rows = Integer.parseInt(h.get("rows"));
        int cols = Integer.parseInt(h.get("cols"));
        int nnz = Integer.parseInt(h.get("nnz"));
        int[] indptr = new int[rows + 1];
        int[] indices = new int[nnz];
        float[] values = new float[nnz];
        ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        readInts(dir.resolve("indptr.i32"), indptr, buffer);
        readInts(dir.resolve("indices.i32"), indices, buffer);
        try (FileChannel ch = FileChannel.open(dir.resolve("data.f32"), StandardOpenOption.READ)) {
            int at = 0;
            while (at < values.length) {
                buffer.clear().limit(Math.min(buffer.capacity(), 4 * (values.length - at)));
                fill(ch, buffer);
                int n = buffer.remaining() / 4;
                buffer.asFloatBuffer().get(values, at, n);
                at += n;
            }
        }
        return CsrMatrix.of(rows, cols, indptr, indices, values);
    }

    private static void readInts(Path file, int[] out, ByteBuffer buffer) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int at = 0;
            while (at < out.length) {
                buffer.clear().limit(Math.min(buffer.capacity(), 4 * (out.length - at)));
                fill(ch, buffer);
                int n = buffer.remaining() / 4;
                buffer.asIntBuffer().get(out, at, n);
                at += n;
            }
        }
    }

    private static void fill(FileChannel ch, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (ch.read(buffer) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        buffer.flip();
    }
}
