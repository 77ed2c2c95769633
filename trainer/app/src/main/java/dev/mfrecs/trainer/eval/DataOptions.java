package dev.mfrecs.trainer.eval;

import java.io.IOException;
import java.nio.file.Path;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The input options {@code evaluate}, {@code tune} and {@code report} share: an interactions file or the Online Retail CSV. */
public final class DataOptions {

    /** Exactly one source. */
    static final class Source {
        @Option(names = "--input", description = "Interactions file: user item [value [timestamp]] per line, separated by tab, comma "
            + "or '::' (optionally .gz); timestamps are epoch seconds/millis or ISO-8601.")
        Path input;

        @Option(names = "--retail", description = "The Online Retail CSV(.gz), e.g. trainer/demo-data/online-retail/online_retail.csv.gz; "
            + "value = purchase lines per (customer, product).")
        Path retail;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source = new Source();

    @Option(names = "--min-value", defaultValue = "0", description = "Drop pairs whose summed value is below this (e.g. 4 for ratings "
        + ">= 4 as positives).")
    float minValue;

    /** Loads the chosen source; the retail loader applies {@code --min-value} to its purchase-line counts. */
    public Interactions load() throws IOException {
        if (source.input != null) {
            return InteractionsLoader.load(source.input, minValue);
        }
        Interactions all = RetailData.load(source.retail).interactions();
        return minValue > 0 ? filter(all, minValue) : all;
    }

    static Interactions filter(Interactions data, float minValue) {
        Splitter.IntList keep = new Splitter.IntList(data.size());
        for (int p = 0; p < data.size(); p++) {
            if (data.value()[p] >= minValue) {
                keep.add(p);
            }
        }
        return data.subset(keep.toArray());
    }
}
