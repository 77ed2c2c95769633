package dev.mfrecs.evaluation;

import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.trainer.data.IdDictionary;
import dev.mfrecs.trainer.data.InteractionFileOptions;
import dev.mfrecs.trainer.data.InteractionFileReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The input options {@code evaluate}, {@code tune} and {@code report} share: an interactions file or the Online Retail CSV. Files
 * are read by the production {@link InteractionFileReader} (the one {@code train --input} uses), so a file that trains also evaluates
 * and both follow the same separator, header, gzip and error rules.
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
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source = new Source();

    @Option(names = "--min-value", defaultValue = "0", description = "Drop pairs whose (combined) value is below this (e.g. 4 for "
        + "ratings >= 4 as positives).")
    float minValue;

    @Option(names = "--duplicates", description = "With --input: how repeated (user, item) rows combine: sum, last or mean. "
        + "Default, as for train --input: sum for ials, svd, popularity and item-knn, last for the rating algorithms als, funk and "
        + "biases.")
    String duplicates;

    @Option(names = "--header", arity = "0..1", description = "With --input: the first line is a header (auto-detected unless the "
        + "file has two columns).")
    Boolean header;

    /** Loads the chosen source with {@code --duplicates} (sum when not given) and applies {@code --min-value}. */
    public Interactions load() throws IOException {
        return load(duplicatePolicy());
    }

    /** Loads the chosen source, combining repeated rows of a file by {@code policy}, and applies {@code --min-value}. */
    public Interactions load(DuplicatePolicy policy) throws IOException {
        Interactions all;
        if (source.input != null) {
            InteractionFileOptions options = InteractionFileOptions.implicit().withDuplicates(policy).withHeader(header)
                .withKeepTimes(true);
            all = Interactions.of(new InteractionFileReader(options).read(source.input));
        } else {
            all = RetailData.load(source.retail).interactions();
        }
        return minValue > 0 ? filter(all, minValue) : all;
    }

    /** {@code --duplicates}, or the default for {@code algorithm} that {@code train --input} uses too. */
    DuplicatePolicy duplicatePolicy(String algorithm) {
        return duplicates != null ? duplicatePolicy() : InteractionFileOptions.defaultDuplicates(ModelSpec.RATING_MODELS.contains(
            algorithm));
    }

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
