package dev.mfrecs.evaluation;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.trainer.cli.ConnectionOptions;
import dev.mfrecs.trainer.cli.RecipeOptions;
import dev.mfrecs.trainer.data.IdDictionary;
import dev.mfrecs.trainer.data.InteractionFileOptions;
import dev.mfrecs.trainer.data.InteractionFileReader;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.es.InteractionReader;
import dev.mfrecs.trainer.es.ReadPlan;
import dev.mfrecs.trainer.log.ProgressLog;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The input options {@code evaluate}, {@code tune}, {@code split} and {@code report} share: an interactions file, the Online Retail
 * CSV, the live interactions index, or split files fixed elsewhere. Files are read by the production {@link InteractionFileReader}
 * (the one {@code train --input} uses), so a file that trains also evaluates; the index is read with the trainer's {@link ReadPlan} and
 * {@link InteractionReader} and the training recipe's options ({@link RecipeOptions}: fields, event weights, decay, window, query,
 * binarization), so models are evaluated and tuned on exactly what {@code train --es} would train on. Optionally, item titles and
 * categories ({@code --items}, {@link ItemAttributes}).
 */
public final class DataOptions {

    /** Exactly one source. */
    static final class Source {
        @Option(names = "--input", description = "Interactions file: user item [value [timestamp]] per line, separated by '::', tab or "
            + "comma (optionally .gz), as for train --input; timestamps are epoch seconds/millis or ISO-8601.")
        Path input;

        @Option(names = "--retail", description = "The Online Retail CSV(.gz), e.g. trainer/demo-data/online-retail/online_retail.csv.gz; "
            + "value = purchase lines per (customer, product).")
        Path retail;

        @ArgGroup(exclusive = false, heading = "Elasticsearch source (read with the training recipe: --index, --weight, "
            + "--value-field, --half-life-days, --since/--from/--to, --query, --binarize-at):%n")
        ConnectionOptions es;

        @ArgGroup(exclusive = false, heading = "Split files fixed elsewhere (the format of --input):%n")
        SplitOptions splits;
    }

    /** Files of a split; see {@link SplitFiles}. */
    static final class SplitOptions {
        @Option(names = "--train", required = true, description = "Training pairs (strong generalization: the training users only).")
        Path train;

        @Option(names = "--test", description = "Weak generalization: the test pairs of users who also have training pairs.")
        Path test;

        @Option(names = "--test-foldin", description = "Strong generalization: the test users' pairs given to the model at scoring time.")
        Path testFoldIn;

        @Option(names = "--test-heldout", description = "Strong generalization: the test users' pairs to rank.")
        Path testHeldOut;

        @Option(names = "--validation", description = "tune, weak generalization: the validation pairs (else carved from --train).")
        Path validation;

        @Option(names = "--validation-foldin", description = "tune, strong generalization: the validation users' fold-in pairs "
            + "(else validation users are carved from --train).")
        Path validationFoldIn;

        @Option(names = "--validation-heldout", description = "tune, strong generalization: the validation users' pairs to rank.")
        Path validationHeldOut;

        SplitFiles.Paths paths() {
            return new SplitFiles.Paths(train, test, testFoldIn, testHeldOut, validation, validationFoldIn, validationHeldOut);
        }
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source = new Source();

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Mixin
    RecipeOptions recipe = new RecipeOptions();

    @Option(names = "--min-value", defaultValue = "0", description = "Drop pairs whose (combined) value is below this (e.g. 4 for "
        + "ratings >= 4 as positives; 0: keep all).")
    float minValue;

    @Option(names = "--binarize", description = "Set every kept pair's value to 1 (e.g. with --min-value 4: ratings >= 4 as positives).")
    boolean binarize;

    @Option(names = "--duplicates", description = "How repeated (user, item) rows or events combine: sum, last (files only) or "
        + "mean. Default, as for train: sum for ials, svd, popularity and item-knn; for the rating algorithms als, funk and biases "
        + "last with files, mean with --es.")
    String duplicates;

    @Option(names = "--header", arity = "0..1", description = "With --input: the first line is a header (auto-detected unless the "
        + "file has two columns).")
    Boolean header;

    @Option(names = "--items", description = "Item titles and categories, e.g. MovieLens movies.dat: id::title::genres with genres "
        + "separated by '|' (also tab or comma separated). evaluate adds categories@10; report colours the PCA by the first category "
        + "and names items by title.")
    Path items;

    /** Whether the data comes as split files rather than one log to split. */
    public boolean splitFiles() {
        return source.splits != null;
    }

    /** Loads the chosen source with {@code --duplicates} (sum when not given); see {@link #load(DuplicatePolicy)}. */
    public Interactions load() throws IOException {
        return load(duplicatePolicy());
    }

    /**
     * Loads the chosen source (not split files), combining repeated pairs by {@code policy}, and applies {@code --min-value} and
     * {@code --binarize} to each pair's value.
     */
    public Interactions load(DuplicatePolicy policy) throws IOException {
        if (splitFiles()) {
            throw new IllegalArgumentException("[--train] split files are already split; this command needs one log (--input, "
                + "--retail or --es)");
        }
        checkRecipeOptions();
        Interactions all;
        if (source.input != null) {
            all = Interactions.of(new InteractionFileReader(fileOptions(policy)).read(source.input));
        } else if (source.retail != null) {
            all = RetailData.load(source.retail).interactions();
        } else {
            all = readIndex(policy);
        }
        Interactions kept = minValue > 0 ? filter(all, minValue) : all;
        return binarize ? binarized(kept) : kept;
    }

    /** The recipe's options read the index: given without {@code --es} they would silently do nothing, so they are refused. */
    private void checkRecipeOptions() {
        if (source.es != null || command == null) {
            return;
        }
        CommandSpec recipeSpec = find(command, recipe);
        for (OptionSpec option : recipeSpec == null ? List.<OptionSpec>of() : recipeSpec.options()) {
            if (command.commandLine().getParseResult().hasMatchedOption(option.longestName())) {
                throw new IllegalArgumentException("[" + option.longestName() + "] is an option of the interactions index; it needs --es");
            }
        }
    }

    /** The mixin spec (at any depth) whose object is {@code mixin}. */
    private static CommandSpec find(CommandSpec spec, Object mixin) {
        for (CommandSpec m : spec.mixins().values()) {
            if (m.userObject() == mixin) {
                return m;
            }
            CommandSpec inner = find(m, mixin);
            if (inner != null) {
                return inner;
            }
        }
        return null;
    }

    /** Loads split files ({@link #splitFiles()} must be true) with {@code --duplicates} (sum when not given). */
    public SplitFiles loadSplits() throws IOException {
        return loadSplits(duplicatePolicy());
    }

    /** Loads split files ({@link #splitFiles()} must be true), combining repeated pairs by {@code policy}. */
    public SplitFiles loadSplits(DuplicatePolicy policy) throws IOException {
        checkRecipeOptions();
        return SplitFiles.load(source.splits.paths(), fileOptions(policy), minValue > 0 ? minValue : Float.NEGATIVE_INFINITY, binarize);
    }

    /** The item attributes of {@code --items}, or null. */
    public ItemAttributes itemAttributes() throws IOException {
        return items == null ? null : ItemAttributes.read(items);
    }

    private InteractionFileOptions fileOptions(DuplicatePolicy policy) {
        return InteractionFileOptions.implicit().withDuplicates(policy).withHeader(header).withKeepTimes(true);
    }

    /** The interactions index through the training recipe, each pair keeping its latest event time. */
    private Interactions readIndex(DuplicatePolicy policy) throws IOException {
        if (policy == DuplicatePolicy.LAST) {
            throw new IllegalArgumentException("[--duplicates] [last] depends on read order, which an index scan does not define; use "
                + "sum or mean with --es");
        }
        ProgressLog log = ProgressLog.stderr();
        try (ElasticsearchClient client = source.es.connection().client()) {
            ReadPlan plan = ReadPlan.of(client, recipe.fields(), recipe.window(), policy, Instant.now(), log);
            InteractionMatrix.Accumulator acc = new InteractionMatrix.Accumulator(plan.recipe().duplicates(), true);
            new InteractionReader(client, plan).read(acc, log);
            return Interactions.of(acc.build(1, 1, plan.recipe().binarizeThreshold()));
        }
    }

    /**
     * {@code --duplicates}, or the default {@code train} uses for {@code algorithm}: files keep a rating algorithm's last rating of a
     * pair ({@code train --input}), the index averages them ({@code train --es}, where read order is undefined), the others sum.
     */
    DuplicatePolicy duplicatePolicy(String algorithm) {
        if (duplicates != null) {
            return duplicatePolicy();
        }
        boolean ratings = ModelSpec.RATING_MODELS.contains(algorithm);
        if (ratings && source.es != null) {
            return DuplicatePolicy.MEAN;
        }
        return InteractionFileOptions.defaultDuplicates(ratings);
    }

    /** {@code --duplicates}, sum when not given. */
    DuplicatePolicy duplicatePolicy() {
        if (duplicates == null) {
            return DuplicatePolicy.SUM;
        }
        try {
            return DuplicatePolicy.valueOf(duplicates.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[--duplicates] must be one of [sum, last, mean] (was [" + duplicates + "])", e);
        }
    }

    /** The same pairs with every value 1. */
    static Interactions binarized(Interactions data) {
        float[] ones = new float[data.size()];
        Arrays.fill(ones, 1f);
        return new Interactions(data.users(), data.items(), data.user(), data.item(), ones, data.times());
    }

    /**
     * The pairs whose value is at least {@code minValue}; users and items left without a pair are dropped and the rest re-numbered
     * densely in their previous order, so they neither count in the dataset's size nor compete in rankings.
     */
    static Interactions filter(Interactions data, float minValue) {
        IdDictionary users = new IdDictionary();
        IdDictionary items = new IdDictionary();
        int[] userMap = new int[data.userCount()];
        int[] itemMap = new int[data.itemCount()];
        Arrays.fill(userMap, -1);
        Arrays.fill(itemMap, -1);
        Splitter.IntList keep = new Splitter.IntList(data.size());
        for (int p = 0; p < data.size(); p++) {
            if (data.value()[p] >= minValue) {
                keep.add(p);
                userMap[data.user()[p]] = 0;
                itemMap[data.item()[p]] = 0;
            }
        }
        for (int u = 0; u < userMap.length; u++) {
            userMap[u] = userMap[u] == 0 ? users.add(data.users().id(u)) : -1;
        }
        for (int i = 0; i < itemMap.length; i++) {
            itemMap[i] = itemMap[i] == 0 ? items.add(data.items().id(i)) : -1;
        }
        Interactions kept = data.subset(keep.toArray());
        int[] user = kept.user();
        int[] item = kept.item();
        for (int p = 0; p < kept.size(); p++) {
            user[p] = userMap[user[p]];
            item[p] = itemMap[item[p]];
        }
        return new Interactions(users, items, user, item, kept.value(), kept.times());
    }
}
