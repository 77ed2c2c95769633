package dev.mfrecs.devkit.cli;

import dev.mfrecs.devkit.data.SyntheticRatings;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code recsys synth-ratings}: writes a MovieLens-1M-sized synthetic rating log with a known structure ({@link SyntheticRatings}). */
@Command(name = "synth-ratings", mixinStandardHelpOptions = true, description = "Write a synthetic MovieLens-shaped rating log "
    + "(user::item::rating::timestamp) and its movies.dat-style item file, with a known genre and popularity structure.")
public final class SynthRatingsCommand implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "The ratings file to write.")
    Path out;

    @Option(names = "--items-out", description = "The item file to write (id::title::genres), for evaluate/report --items.")
    Path itemsOut;

    @Option(names = "--users", defaultValue = "6040", description = "Users (as MovieLens 1M).")
    int users;

    @Option(names = "--items", defaultValue = "3706", description = "Items.")
    int items;

    @Option(names = "--ratings", defaultValue = "1000209", description = "Ratings, approximately.")
    long ratings;

    @Option(names = "--min-per-user", defaultValue = "20", description = "Fewest ratings of a user.")
    int minPerUser;

    @Option(names = "--rank", defaultValue = "16", description = "Dimension of the true taste vectors.")
    int rank;

    @Option(names = "--taste", defaultValue = "3", description = "How strongly taste drives which items are rated.")
    double taste;

    @Option(names = "--popularity", defaultValue = "0.7", description = "Power-law exponent of item popularity.")
    double popularity;

    @Option(names = "--seed", defaultValue = "42", description = "Seed.")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SyntheticRatings.Shape shape = new SyntheticRatings.Shape(users, items, ratings, minPerUser, rank, taste, popularity, seed);
        SyntheticRatings.Log log = SyntheticRatings.generate(shape);
        SyntheticRatings.write(log, out, itemsOut);
        long positives = 0;
        for (byte r : log.rating()) {
            positives += r >= 4 ? 1 : 0;
        }
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %d ratings of %d users on %d items to [%s] (%.1f%% are 4 or 5)%n",
            log.size(), users, items, out, 100.0 * positives / log.size());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
