package dev.mfrecs.benchmarks;

import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.FactorModel;
import dev.mfrecs.factorization.ImplicitAls;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Writes the seeded benchmark matrix of {@link EpochTimer} (a shape of {@link BenchmarkData#shape})
 * to a directory as raw little-endian arrays, so the numpy/OpenBLAS reference solver ({@code python/ials_numpy.py}) trains on the
 * identical matrix rather than on a re-implementation of the generator: {@code indptr.i32}, {@code indices.i32},
 * {@code data.f32} (the users x items CSR, read with {@code np.fromfile}) and {@code header.json} (rows, cols, nnz). With a
 * {@code FACTORS} argument it also writes {@code users_init_dFACTORS.f32} and {@code items_init_dFACTORS.f32}, the seeded starting
 * point {@link ImplicitAls#initialize} gives {@link EpochTimer} (seed 42), so both implementations can start from the same model
 * and their objectives be compared epoch by epoch. It also writes {@code interactions.csv}, the same pairs as the text log
 * {@code mfrecs train --input} reads ({@code user,item,value} with ids {@code u<row>} and {@code i<column>}, in a seeded random
 * order as a real event log is not grouped by user), so {@link TrainTimer} can time the user's whole path, reading included.
 * <pre>
 *   java -cp mfrecs-benchmarks.jar dev.mfrecs.benchmarks.DumpData ml1m-pos|ml1m|ml20m DIRECTORY [FACTORS]
 * </pre>
 */
public final class DumpData {

    private DumpData() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2 && args.length != 3) {
            throw new IllegalArgumentException("DumpData: expected [" + BenchmarkData.SHAPES + " DIRECTORY [FACTORS]] (was "
                + Arrays.toString(args) + ")");
        }
        CsrMatrix ui = BenchmarkData.shape(args[0]);
        Path dir = Path.of(args[1]);
        Files.createDirectories(dir);
        writeInts(dir.resolve("indptr.i32"), ui.indptr(), ui.rows() + 1);
        writeInts(dir.resolve("indices.i32"), ui.indices(), ui.nnz());
        writeFloats(dir.resolve("data.f32"), ui.values(), ui.nnz());
        String header = String.format("{\"shape\": \"%s\", \"rows\": %d, \"cols\": %d, \"nnz\": %d}%n", args[0], ui.rows(), ui.cols(),
            ui.nnz());
        Files.writeString(dir.resolve("header.json"), header, StandardCharsets.UTF_8);
        writeLog(dir.resolve(INTERACTIONS), ui);
        if (args.length == 3) {
            int d = Integer.parseInt(args[2]);
            // the parameters EpochTimer uses; initialize reads only factors and seed
            ImplicitAlsParams p = new ImplicitAlsParams(d, 1, 0.1f, Confidence.linear(10f), Solver.CG, 3, 42L, 1);
            FactorModel m = ImplicitAls.initialize(ui, p);
            writeFloats(dir.resolve("users_init_d" + d + ".f32"), m.userFactors(), m.userFactors().length);
            writeFloats(dir.resolve("items_init_d" + d + ".f32"), m.itemFactors(), m.itemFactors().length);
        }
        System.out.print("DumpData: wrote " + dir + ": " + header);
    }

    /** The name of the text log in a {@code DumpData} directory. */
    static final String INTERACTIONS = "interactions.csv";

    /** The matrix as {@code user,item,value} lines in a seeded random order (a Fisher-Yates shuffle of the entries). */
    private static void writeLog(Path file, CsrMatrix ui) throws IOException {
        int nnz = ui.nnz();
        int[] rowOf = new int[nnz];
        for (int r = 0; r < ui.rows(); r++) {
            Arrays.fill(rowOf, ui.indptr()[r], ui.indptr()[r + 1], r);
        }
        int[] order = new int[nnz];
        for (int p = 0; p < nnz; p++) {
            order[p] = p;
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int p = nnz - 1; p > 0; p--) {
            int q = random.nextInt(p + 1);
            int t = order[p];
            order[p] = order[q];
            order[q] = t;
        }
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            for (int p : order) {
                line.setLength(0);
                line.append('u').append(rowOf[p]).append(",i").append(ui.indices()[p]).append(',').append((int) ui.values()[p])
                    .append('\n');
                out.append(line);
            }
        }
    }

    private static void writeInts(Path file, int[] values, int n) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asIntBuffer().put(values, 0, n);
        write(file, buffer);
    }

    private static void writeFloats(Path file, float[] values, int n) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values, 0, n);
        write(file, buffer);
    }

    private static void write(Path file, ByteBuffer buffer) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(buffer.array());
        }
    }
}
