package dev.mfrecs.devkit.data;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A MovieLens-shaped rating log with a known structure, to measure recommendation quality where MovieLens itself may not be
 * redistributed: by default as many users, items and ratings as MovieLens 1M (6,040 x 3,706, 1,000,209 ratings, every user with at
 * least 20), written as {@code user::item::rating::timestamp} lines, and a {@code movies.dat}-style item file
 * ({@code id::title::genres}). The structure, all drawn from one seed:
 * <ul>
 *   <li>18 genres, each a random unit vector in {@code rank} dimensions; an item has 1 to 3 genres (the first from a skewed genre
 *       distribution) and its taste vector is the mean of its genres' vectors plus item-specific noise; a user has 1 to 3 favourite
 *       genres with random weights and a taste vector built the same way;</li>
 *   <li>item popularity follows a power law in a random item order ({@code log weight = -popularity * ln(rank)});</li>
 *   <li>which items a user rates: {@code n_u} items (power-law activity, at least {@code minPerUser}, scaled to the total) drawn
 *       without replacement with probability proportional to {@code exp(taste * p_u . q_i + log weight_i)} (Gumbel top-k, i.e.
 *       Plackett-Luce sampling);</li>
 *   <li>the rating: {@code round(mu + b_u + b_i + liking * p_u . q_i + noise)} clamped to 1..5, with {@code mu} set so that about
 *       as many ratings are 4 or 5 as in MovieLens 1M (57.5%);</li>
 *   <li>timestamps: each user rates over a random period between 2000-04-25 and 2003-02-28 (MovieLens 1M's range), in order.</li>
 * </ul>
 * Implicit recommenders see the structure through which items users rate (taste and popularity); rating models also through the
 * values. The generator exists so quality figures (docs/quality.md) can be reproduced by anyone from one command.
 */
public final class SyntheticRatings {

    /** MovieLens's 18 genre names, used as the synthetic genres' labels. */
    static final List<String> GENRES = List.of("Action", "Adventure", "Animation", "Children's", "Comedy", "Crime", "Documentary",
        "Drama", "Fantasy", "Film-Noir", "Horror", "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western");
    static final long START = 956_620_800L; // 2000-04-25T00:00:00Z, epoch seconds
    static final long END = 1_046_390_400L; // 2003-02-28T00:00:00Z
    /** Bits of an item index in {@link #topK}'s packed keys: at most about a million items. */
    static final int INDEX_BITS = 20;
    /** The share of MovieLens 1M ratings that are 4 or 5 (575,281 of 1,000,209). */
    static final double POSITIVE_SHARE = 575_281 / 1_000_209.0;

    /**
     * What to generate.
     *
     * @param users      number of users
     * @param items      number of items
     * @param ratings    total ratings (approximately: per-user counts are rounded)
     * @param minPerUser the fewest ratings of a user
     * @param rank       dimension of the taste vectors
     * @param taste      how strongly taste drives which items a user rates
     * @param popularity the power-law exponent of item popularity
     * @param seed       the only source of randomness
     */
    public record Shape(int users, int items, long ratings, int minPerUser, int rank, double taste, double popularity, long seed) {

        /** MovieLens 1M's size. */
        public static Shape movieLens1m(long seed) {
            return new Shape(6040, 3706, 1_000_209, 20, 16, 3.0, 0.7, seed);
        }

        public Shape {
            if (users <= 0 || items <= 0 || minPerUser <= 0 || rank <= 0) {
                throw new IllegalArgumentException("[users], [items], [min-per-user] and [rank] must be > 0");
            }
            if (items >= 1 << INDEX_BITS) {
                throw new IllegalArgumentException("[items] must be below [" + (1 << INDEX_BITS) + "] (was [" + items + "])");
            }
            if (minPerUser > items || (long) users * minPerUser > ratings || ratings > (long) users * items) {
                throw new IllegalArgumentException("[ratings] [" + ratings + "] must be between users x min-per-user [" + (long) users
                    * minPerUser + "] and users x items [" + (long) users * items + "], and [min-per-user] at most [items]");
            }
        }
    }

    /** The generated log as flat arrays (one entry per rating, grouped by user) and the item genres. */
    public record Log(int[] user, int[] item, byte[] rating, long[] seconds, int[][] itemGenres) {
        public int size() {
            return user.length;
        }
    }

    private SyntheticRatings() {}

    public static Log generate(Shape s) {
        SplittableRandom random = new SplittableRandom(s.seed());
        int r = s.rank();
        int g = GENRES.size();
        float[] genre = new float[g * r];
        for (int k = 0; k < g; k++) {
            unit(genre, k * r, r, random);
        }
        // skewed genre shares (Drama and Comedy dominate MovieLens; here the first drawn genres do)
        double[] genreWeight = new double[g];
        for (int k = 0; k < g; k++) {
            genreWeight[k] = 1.0 / (k + 1);
        }
        int[][] itemGenres = new int[s.items()][];
        float[] q = new float[s.items() * r];
        for (int i = 0; i < s.items(); i++) {
            itemGenres[i] = pickGenres(genreWeight, 1 + random.nextInt(3), random);
            tasteVector(genre, itemGenres[i], null, r, 0.5, random, q, i * r);
        }
        float[] p = new float[s.users() * r];
        for (int u = 0; u < s.users(); u++) {
            int[] favourites = pickGenres(genreWeight, 1 + random.nextInt(3), random);
            double[] w = new double[favourites.length];
            for (int j = 0; j < w.length; j++) {
                w[j] = 0.3 + random.nextDouble();
            }
            tasteVector(genre, favourites, w, r, 0.5, random, p, u * r);
        }
        int[] order = permutation(s.items(), random);
        double[] logWeight = new double[s.items()];
        for (int rank = 0; rank < s.items(); rank++) {
            logWeight[order[rank]] = -s.popularity() * Math.log(rank + 1.0);
        }
        int[] counts = activity(s, random);
        double[] userBias = new double[s.users()];
        double[] itemBias = new double[s.items()];
        for (int u = 0; u < s.users(); u++) {
            userBias[u] = 0.4 * random.nextGaussian();
        }
        for (int i = 0; i < s.items(); i++) {
            // popular items are rated a little higher, as in MovieLens: up to -0.4 for the least popular of 3,706
            itemBias[i] = 0.5 * random.nextGaussian() + 0.05 * logWeight[i] / Math.max(1e-9, s.popularity());
        }
        int total = Arrays.stream(counts).sum();
        int[] user = new int[total];
        int[] item = new int[total];
        double[] raw = new double[total];
        long[] seconds = new long[total];
        double[] keys = new double[s.items()];
        int n = 0;
        for (int u = 0; u < s.users(); u++) {
            for (int i = 0; i < s.items(); i++) {
                double affinity = dot(p, u * r, q, i * r, r);
                keys[i] = s.taste() * affinity + logWeight[i] - Math.log(-Math.log(1 - random.nextDouble()));
            }
            int[] chosen = topK(keys, counts[u]);
            long span = (long) ((END - START) * Math.min(1.0, 0.02 + random.nextDouble() * random.nextDouble()));
            long begin = START + (long) (random.nextDouble() * (END - START - span));
            long[] times = new long[chosen.length];
            for (int j = 0; j < times.length; j++) {
                times[j] = begin + (long) (random.nextDouble() * span);
            }
            Arrays.sort(times);
            int[] shuffled = chosen.clone();
            for (int j = shuffled.length - 1; j > 0; j--) {
                int k = random.nextInt(j + 1);
                int t = shuffled[j];
                shuffled[j] = shuffled[k];
                shuffled[k] = t;
            }
            for (int j = 0; j < shuffled.length; j++) {
                int i = shuffled[j];
                user[n] = u;
                item[n] = i;
                raw[n] = userBias[u] + itemBias[i] + 1.6 * dot(p, u * r, q, i * r, r) + 0.6 * random.nextGaussian();
                seconds[n] = times[j];
                n++;
            }
        }
        // mu such that the share of rounded ratings >= 4 matches MovieLens 1M: raw + mu >= 3.5
        double[] sorted = raw.clone();
        Arrays.sort(sorted);
        double mu = 3.5 - sorted[(int) Math.min(total - 1, Math.round((1 - POSITIVE_SHARE) * total))];
        byte[] rating = new byte[total];
        for (int k = 0; k < total; k++) {
            rating[k] = (byte) Math.max(1, Math.min(5, Math.round(raw[k] + mu)));
        }
        return new Log(user, item, rating, seconds, itemGenres);
    }

    /** Writes {@code ratings} ({@code user::item::rating::timestamp}, ids from 1) and, when not null, {@code items} (movies.dat style). */
    public static void write(Log log, Path ratings, Path items) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(ratings, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder(48);
            for (int k = 0; k < log.size(); k++) {
                line.setLength(0);
                line.append(log.user()[k] + 1).append("::").append(log.item()[k] + 1).append("::").append(log.rating()[k]).append("::")
                    .append(log.seconds()[k]).append('\n');
                w.append(line);
            }
        }
        if (items != null) {
            try (BufferedWriter w = Files.newBufferedWriter(items, StandardCharsets.UTF_8)) {
                for (int i = 0; i < log.itemGenres().length; i++) {
                    StringBuilder genres = new StringBuilder();
                    for (int k : log.itemGenres()[i]) {
                        genres.append(genres.isEmpty() ? "" : "|").append(GENRES.get(k));
                    }
                    w.append(String.format(Locale.ROOT, "%d::Synthetic %s item %d::%s%n", i + 1, GENRES.get(log.itemGenres()[i][0]), i + 1,
                        genres));
                }
            }
        }
    }

    /**
     * Per-user rating counts: a power law (Lomax, shape 1.5) above the floor, scaled so the counts add up to the total, each at most
     * 62% of the items (what a capped user cannot take goes to the others).
     */
    static int[] activity(Shape s, SplittableRandom random) {
        double[] raw = new double[s.users()];
        for (int u = 0; u < raw.length; u++) {
            raw[u] = Math.pow(1 - random.nextDouble(), -1 / 1.5) - 1;
        }
        // MovieLens 1M's most active user rated 62% of the items
        int cap = (int) Math.round(0.62 * s.items()) - s.minPerUser();
        double[] extra = new double[s.users()];
        double target = s.ratings() - (double) s.users() * s.minPerUser();
        for (int round = 0; round < 50; round++) {
            double placed = 0;
            double open = 0;
            for (int u = 0; u < raw.length; u++) {
                placed += extra[u];
                open += extra[u] < cap ? raw[u] : 0;
            }
            double deficit = target - placed;
            if (deficit < 0.5 || open == 0) {
                break;
            }
            for (int u = 0; u < raw.length; u++) {
                if (extra[u] < cap) {
                    extra[u] = Math.min(cap, extra[u] + deficit * raw[u] / open);
                }
            }
        }
        int[] counts = new int[s.users()];
        for (int u = 0; u < raw.length; u++) {
            counts[u] = s.minPerUser() + (int) Math.round(extra[u]);
        }
        return counts;
    }

    private static int[] pickGenres(double[] weight, int count, SplittableRandom random) {
        int[] out = new int[count];
        boolean[] taken = new boolean[weight.length];
        for (int j = 0; j < count; j++) {
            double total = 0;
            for (int k = 0; k < weight.length; k++) {
                total += taken[k] ? 0 : weight[k];
            }
            double x = random.nextDouble() * total;
            int k = 0;
            while (taken[k] || (x -= weight[k]) > 0) {
                k++;
            }
            taken[k] = true;
            out[j] = k;
        }
        return out;
    }

    /**
     * {@code out[off..off+r)} = the weighted mean of the genres' vectors plus Gaussian noise of standard deviation
     * {@code noise / sqrt(r)}.
     */
    private static void tasteVector(float[] genre, int[] genres, double[] w, int r, double noise, SplittableRandom random, float[] out,
                                    int off) {
        double wsum = 0;
        for (int j = 0; j < genres.length; j++) {
            wsum += w == null ? 1 : w[j];
        }
        for (int d = 0; d < r; d++) {
            double v = 0;
            for (int j = 0; j < genres.length; j++) {
                v += (w == null ? 1 : w[j]) * genre[genres[j] * r + d];
            }
            out[off + d] = (float) (v / wsum + noise * random.nextGaussian() / Math.sqrt(r));
        }
    }

    private static void unit(float[] a, int off, int r, SplittableRandom random) {
        double norm = 0;
        for (int d = 0; d < r; d++) {
            double v = random.nextGaussian();
            a[off + d] = (float) v;
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        for (int d = 0; d < r; d++) {
            a[off + d] = (float) (a[off + d] / norm);
        }
    }

    private static double dot(float[] a, int ao, float[] b, int bo, int r) {
        double s = 0;
        for (int d = 0; d < r; d++) {
            s += (double) a[ao + d] * b[bo + d];
        }
        return s;
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) {
            a[i] = i;
        }
        for (int j = n - 1; j > 0; j--) {
            int k = random.nextInt(j + 1);
            int t = a[j];
            a[j] = a[k];
            a[k] = t;
        }
        return a;
    }

    /**
     * The indices of the {@code k} largest keys, largest first: each key becomes an order-preserving {@code long} whose lowest
     * {@link #INDEX_BITS} bits are replaced by the index, and one primitive sort orders them (keys closer than about 1e-10
     * relative order by index).
     */
    static int[] topK(double[] keys, int k) {
        long[] packed = new long[keys.length];
        long mask = (1L << INDEX_BITS) - 1;
        for (int i = 0; i < keys.length; i++) {
            long bits = Double.doubleToLongBits(keys[i]);
            bits ^= (bits >> 63) & Long.MAX_VALUE; // negative doubles: reverse their order so longs compare like the doubles
            packed[i] = (bits & ~mask) | (mask - i);
        }
        Arrays.sort(packed);
        int[] out = new int[k];
        for (int j = 0; j < k; j++) {
            out[j] = (int) (mask - (packed[packed.length - 1 - j] & mask));
        }
        return out;
    }
}
