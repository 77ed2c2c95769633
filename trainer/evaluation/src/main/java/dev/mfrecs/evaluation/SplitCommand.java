package dev.mfrecs.evaluation;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code recsys split}: writes the test and validation splits {@code tune} would carve from a log as files ({@link SplitFiles}), so
 * a split is fixed once and every later {@code evaluate} and {@code tune} run (and other tools) scores on exactly the same users and
 * pairs. Prints the options that read the files back.
 */
@Command(name = "split", mixinStandardHelpOptions = true, description = "Write a log's test and validation splits as files for "
    + "evaluate/tune --train ... (the splits tune carves: same protocol, validation with seed + 1).")
public final class SplitCommand implements Callable<Integer> {

    @Mixin
    DataOptions data = new DataOptions();

    @Mixin
    ProtocolOptions protocol = new ProtocolOptions();

    @Option(names = "--out", required = true, description = "Directory for train.tsv, validation*.tsv and test*.tsv.")
    Path out;

    @Option(names = "--with-validation", negatable = true, defaultValue = "true", fallbackValue = "true", description = "Also write "
        + "the validation split carved from the training part (--no-with-validation: test only).")
    boolean validation;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        EvalOptions options = protocol.options();
        if (options.protocol() == Protocol.RATINGS) {
            throw new IllegalArgumentException("[--protocol] [ratings] splits ratings per fold; split files are for ranking protocols");
        }
        Interactions interactions = data.load();
        PairSplit test = Splitter.split(interactions, options);
        PairSplit valid = validation ? Tuner.carveValidation(interactions, test, options) : null;
        Map<String, Path> files = SplitFiles.write(out, interactions, options.protocol() == Protocol.STRONG, test, valid);
        StringBuilder args = new StringBuilder();
        files.forEach((option, file) -> args.append(args.isEmpty() ? "" : " ").append(option).append(' ').append(file));
        stdout.printf(Locale.ROOT, "%s split of %d users, %d items, %d pairs: %d test pairs%s%n", options.protocolName(),
            interactions.userCount(), interactions.itemCount(), interactions.size(), test.test().length,
            valid == null ? "" : ", " + valid.test().length + " validation pairs");
        stdout.println((options.protocol() == Protocol.STRONG ? "--protocol strong " : "") + args);
        stdout.flush();
        return 0;
    }
}
