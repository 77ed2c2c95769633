package dev.mfrecs.evaluation;

import dev.mfrecs.trainer.data.IdDictionary;
import dev.mfrecs.trainer.data.InteractionFileOptions;
import dev.mfrecs.trainer.data.InteractionFileReader;
import dev.mfrecs.trainer.data.InteractionMatrix;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits fixed elsewhere, as files: so users (and our own benchmarks) score a model on exactly the split another tool or paper used,
 * and so {@code evaluate} and {@code tune} runs on the same data compare like with like. Every file has the {@code train --input}
 * format (one {@code user item [value [timestamp]]} pair per line) and is read by the same reader; all files are merged into one
 * {@link Interactions} with one id space (users and items numbered in order of first appearance, train file first), and each part
 * becomes a set of pair indices:
 * <ul>
 *   <li>weak generalization: {@code train} and {@code test} (the test users' training pairs are in {@code train}); an optional
 *       {@code validation} file is a second test set for tuning;</li>
 *   <li>strong generalization (Liang et al. 2018): {@code train} (training users only), and per held-out user set a
 *       {@code foldin} file (the history given at scoring time) and a {@code heldout} file (what is ranked); test and, for tuning,
 *       validation. Fold-in and held-out pairs of items absent from the train file are dropped, as in Liang et al.'s code: no model
 *       has learned those items.</li>
 * </ul>
 * Under strong generalization every model trains on the train file only, also the tuned one finally scored on test; under weak
 * generalization the model scored on test also trains on the validation pairs (they belong to the same users). {@link #write} writes
 * such files from a carved split ({@code mfrecs-eval split}).
 *
 * @param data       every pair of every file
 * @param strong     strong generalization files (fold-in and held-out) rather than weak ones
 * @param test       the test split: train pairs, test (held-out) pairs, fold-in pairs (strong only, else empty)
 * @param validation the validation split, or null when no validation file was given
 * @param dropped    fold-in and held-out pairs dropped because the train file has no pair of their item
 */
public record SplitFiles(Interactions data, boolean strong, PairSplit test, PairSplit validation, int dropped) {

    /** The files of one split; null for a part that was not given. */
    public record Paths(Path train, Path test, Path testFoldIn, Path testHeldOut, Path validation, Path validationFoldIn,
                        Path validationHeldOut) {

        /** Strong generalization files (fold-in and held-out) rather than weak ones. */
        public boolean strong() {
            return testFoldIn != null || testHeldOut != null;
        }

        /** Checks that the parts fit one protocol, naming the options. */
        void check() {
            if (train == null) {
                throw new IllegalArgumentException("[--train] is required with split files");
            }
            if (strong()) {
                if (testFoldIn == null || testHeldOut == null || test != null || validation != null) {
                    throw new IllegalArgumentException("strong generalization files are [--train], [--test-foldin] and [--test-heldout] "
                        + "(and for tune [--validation-foldin] and [--validation-heldout]); [--test] and [--validation] are for weak "
                        + "generalization");
                }
                if ((validationFoldIn == null) != (validationHeldOut == null)) {
                    throw new IllegalArgumentException("[--validation-foldin] and [--validation-heldout] go together");
                }
            } else {
                if (test == null) {
                    throw new IllegalArgumentException("[--train] needs [--test] (weak generalization) or [--test-foldin] and "
                        + "[--test-heldout] (strong generalization, --protocol strong)");
                }
                if (validationFoldIn != null || validationHeldOut != null) {
                    throw new IllegalArgumentException("[--validation-foldin] and [--validation-heldout] need strong generalization test "
                        + "files ([--test-foldin], [--test-heldout]); with [--test] use [--validation]");
                }
            }
        }
    }

    /**
     * Reads the files of {@code paths} with {@code options} (each file's repeated pairs combined, timestamps kept); pairs whose value is
     * below {@code minValue} are dropped and, with {@code binarize}, the others set to 1.
     */
    public static SplitFiles load(Paths paths, InteractionFileOptions options, float minValue, boolean binarize) throws IOException {
        paths.check();
        Merger merger = new Merger(minValue, binarize);
        int[] train = merger.add(read(paths.train(), options));
        if (paths.strong()) {
            int[] vFold = paths.validationFoldIn() == null ? null : merger.add(read(paths.validationFoldIn(), options));
            int[] vHeld = paths.validationHeldOut() == null ? null : merger.add(read(paths.validationHeldOut(), options));
            int[] tFold = merger.add(read(paths.testFoldIn(), options));
            int[] tHeld = merger.add(read(paths.testHeldOut(), options));
            Interactions data = merger.build();
            boolean[] trained = new boolean[data.itemCount()];
            for (int p : train) {
                trained[data.item()[p]] = true;
            }
            int before = tFold.length + tHeld.length + (vFold == null ? 0 : vFold.length + vHeld.length);
            tFold = trainedOnly(data, tFold, trained);
            tHeld = trainedOnly(data, tHeld, trained);
            PairSplit validation = null;
            int after = tFold.length + tHeld.length;
            if (vFold != null) {
                vFold = trainedOnly(data, vFold, trained);
                vHeld = trainedOnly(data, vHeld, trained);
                validation = new PairSplit(train, vHeld, vFold);
                after += vFold.length + vHeld.length;
            }
            return new SplitFiles(data, true, new PairSplit(train, tHeld, tFold), validation, before - after);
        }
        int[] valid = paths.validation() == null ? null : merger.add(read(paths.validation(), options));
        int[] test = merger.add(read(paths.test(), options));
        Interactions data = merger.build();
        if (valid == null) {
            return new SplitFiles(data, false, new PairSplit(train, test, new int[0]), null, 0);
        }
        // weak generalization: the validation pairs are the test users' too, and train the model scored on test
        int[] trainAndValid = Arrays.copyOf(train, train.length + valid.length);
        System.arraycopy(valid, 0, trainAndValid, train.length, valid.length);
        return new SplitFiles(data, false, new PairSplit(trainAndValid, test, new int[0]), new PairSplit(train, valid, new int[0]), 0);
    }

    private static InteractionMatrix read(Path file, InteractionFileOptions options) throws IOException {
        return new InteractionFileReader(options.withKeepTimes(true)).read(file);
    }

    private static int[] trainedOnly(Interactions data, int[] pairs, boolean[] trained) {
        return Arrays.stream(pairs).filter(p -> trained[data.item()[p]]).toArray();
    }

    /**
     * Writes the parts of {@code test} (and of {@code validation}, when not null; strong generalization with fold-in parts) of
     * {@code data} into {@code dir} as tab-separated {@code user item value [timestamp in epoch ms]} files named after the options
     * that read them back: {@code train.tsv}, and {@code test.tsv} (weak) or {@code test_foldin.tsv} and {@code test_heldout.tsv}
     * (strong), likewise {@code validation*.tsv}. The train file of a split with validation holds the validation split's training
     * pairs (strong: the validation users are not trained on). Returns the written files by option name.
     */
    public static Map<String, Path> write(Path dir, Interactions data, boolean strong, PairSplit test, PairSplit validation)
        throws IOException {
        Files.createDirectories(dir);
        Map<String, Path> out = new LinkedHashMap<>();
        int[] train = validation != null ? validation.train() : test.train();
        out.put("--train", writePairs(dir.resolve("train.tsv"), data, train));
        if (validation != null) {
            if (strong) {
                out.put("--validation-foldin", writePairs(dir.resolve("validation_foldin.tsv"), data, validation.foldIn()));
                out.put("--validation-heldout", writePairs(dir.resolve("validation_heldout.tsv"), data, validation.test()));
            } else {
                out.put("--validation", writePairs(dir.resolve("validation.tsv"), data, validation.test()));
            }
        }
        if (strong) {
            out.put("--test-foldin", writePairs(dir.resolve("test_foldin.tsv"), data, test.foldIn()));
            out.put("--test-heldout", writePairs(dir.resolve("test_heldout.tsv"), data, test.test()));
        } else {
            out.put("--test", writePairs(dir.resolve("test.tsv"), data, test.test()));
        }
        return out;
    }

    private static Path writePairs(Path file, Interactions data, int[] pairs) throws IOException {
        boolean times = data.hasTimes() && Arrays.stream(data.times()).noneMatch(t -> t == Long.MIN_VALUE);
        int[] sorted = pairs.clone();
        Arrays.sort(sorted);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            for (int p : sorted) {
                String user = data.users().id(data.user()[p]);
                String item = data.items().id(data.item()[p]);
                if (user.indexOf('\t') >= 0 || item.indexOf('\t') >= 0) {
                    throw new IllegalArgumentException("id [" + user + "] or [" + item + "] contains a tab and cannot be written to ["
                        + file.getFileName() + "]");
                }
                line.setLength(0);
                line.append(user).append('\t').append(item).append('\t').append(data.value()[p]);
                if (times) {
                    line.append('\t').append(data.times()[p]);
                }
                w.append(line).append('\n');
            }
        }
        return file;
    }

    /** Concatenates files' pairs under one pair of dictionaries. */
    private static final class Merger {
        final IdDictionary users = new IdDictionary();
        final IdDictionary items = new IdDictionary();
        final Splitter.IntList user = new Splitter.IntList(1 << 16);
        final Splitter.IntList item = new Splitter.IntList(1 << 16);
        float[] value = new float[1 << 16];
        long[] time = new long[1 << 16];
        boolean timed = true;
        int size;
        final float minValue;
        final boolean binarize;

        Merger(float minValue, boolean binarize) {
            this.minValue = minValue;
            this.binarize = binarize;
        }

        /** Adds a file's pairs; returns their indices in the merged list. */
        int[] add(InteractionMatrix m) {
            Interactions part = Interactions.of(m);
            timed &= part.hasTimes();
            Splitter.IntList added = new Splitter.IntList(part.size());
            for (int p = 0; p < part.size(); p++) {
                float v = part.value()[p];
                if (v < minValue) {
                    continue;
                }
                if (size == value.length) {
                    value = Arrays.copyOf(value, size * 2);
                    time = Arrays.copyOf(time, size * 2);
                }
                user.add(users.add(part.users().id(part.user()[p])));
                item.add(items.add(part.items().id(part.item()[p])));
                value[size] = binarize ? 1f : v;
                time[size] = part.hasTimes() ? part.times()[p] : 0L;
                added.add(size);
                size++;
            }
            return added.toArray();
        }

        Interactions build() {
            return new Interactions(users, items, user.toArray(), item.toArray(), Arrays.copyOf(value, size),
                timed ? Arrays.copyOf(time, size) : null);
        }
    }
}
