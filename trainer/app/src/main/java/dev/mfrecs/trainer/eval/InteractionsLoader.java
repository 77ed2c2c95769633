package dev.mfrecs.trainer.eval;

import dev.mfrecs.trainer.data.IdDictionary;

import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads {@code user item [value [timestamp]]} lines (tab, comma or {@code ::} separated, optionally gzipped) into
 * {@link Interactions}. Deliberately minimal and package-private: it exists so {@code evaluate}, {@code tune} and {@code report}
 * work on files before the general {@code InteractionFileReader} lands; the lead unifies the two when merging. A first line whose
 * value column does not parse as a number is taken as a header. Repeated pairs are summed, keeping the latest timestamp; pairs
 * whose summed value is below {@code minValue} are dropped (so {@code --min-value 4} keeps ratings of 4 and 5 as positives).
 */
final class InteractionsLoader {

    private static final Pattern SEPARATOR = Pattern.compile("::|\t|,");

    private InteractionsLoader() {}

    static Interactions load(Path file, float minValue) throws IOException {
        Builder b = new Builder();
        try (BufferedReader in = open(file)) {
            String line;
            int lineNo = 0;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = SEPARATOR.split(line.strip(), -1);
                if (f.length < 2) {
                    throw new IOException("[" + file + "] line " + lineNo + ": expected [user item [value [timestamp]]], got [" + line
                        + "]");
                }
                float value = 1f;
                if (f.length >= 3 && f[2].isBlank() == false) {
                    try {
                        value = Float.parseFloat(f[2].strip());
                    } catch (NumberFormatException e) {
                        if (lineNo == 1) {
                            continue; // header
                        }
                        throw new IOException("[" + file + "] line " + lineNo + ": value is not a number [" + f[2] + "]", e);
                    }
                }
                long time = Long.MIN_VALUE;
                if (f.length >= 4 && f[3].isBlank() == false) {
                    time = parseTime(f[3].strip(), file, lineNo);
                }
                b.add(f[0].strip(), f[1].strip(), value, time);
            }
        }
        return b.build(minValue);
    }

    private static BufferedReader open(Path file) throws IOException {
        var raw = Files.newInputStream(file);
        var stream = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        return new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    /** Epoch seconds or milliseconds (numbers below 10^11 are seconds), or an ISO-8601 instant. */
    static long parseTime(String s, Path file, int lineNo) throws IOException {
        try {
            long n = Long.parseLong(s);
            return n < 100_000_000_000L ? n * 1000 : n;
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new IOException("[" + file + "] line " + lineNo + ": timestamp is neither epoch seconds/millis nor ISO-8601 [" + s
                    + "]", e2);
            }
        }
    }

    /**
     * Aggregates events into pairs: summed value, latest timestamp ({@code Long.MIN_VALUE} stands for "none"). Shared with
     * {@link RetailData}.
     */
    static final class Builder {
        private final IdDictionary users = new IdDictionary();
        private final IdDictionary items = new IdDictionary();
        private final Long2IntOpenHashMap pairIndex = new Long2IntOpenHashMap();
        private int[] user = new int[1024];
        private int[] item = new int[1024];
        private float[] value = new float[1024];
        private long[] time = new long[1024];
        private int size;
        private boolean anyTime;

        Builder() {
            pairIndex.defaultReturnValue(-1);
        }

        void add(String userId, String itemId, float v, long t) {
            int u = users.add(userId);
            int i = items.add(itemId);
            long key = ((long) u << 32) | (i & 0xffffffffL);
            int p = pairIndex.get(key);
            if (p < 0) {
                if (size == user.length) {
                    int n = size * 2;
                    user = Arrays.copyOf(user, n);
                    item = Arrays.copyOf(item, n);
                    value = Arrays.copyOf(value, n);
                    time = Arrays.copyOf(time, n);
                }
                p = size++;
                pairIndex.put(key, p);
                user[p] = u;
                item[p] = i;
                value[p] = 0f;
                time[p] = Long.MIN_VALUE;
            }
            value[p] += v;
            if (t != Long.MIN_VALUE) {
                anyTime = true;
                time[p] = Math.max(time[p], t);
            }
        }

        /** Pairs with summed value {@code >= minValue} (and {@code > 0}); users and items without any kept pair are dropped. */
        Interactions build(float minValue) {
            IdDictionary keptUsers = new IdDictionary();
            IdDictionary keptItems = new IdDictionary();
            int[] userMap = new int[users.size()];
            int[] itemMap = new int[items.size()];
            Arrays.fill(userMap, -1);
            Arrays.fill(itemMap, -1);
            int n = 0;
            for (int p = 0; p < size; p++) {
                if (value[p] > 0 && value[p] >= minValue) {
                    n++;
                }
            }
            int[] u = new int[n];
            int[] i = new int[n];
            float[] v = new float[n];
            long[] t = anyTime ? new long[n] : null;
            int w = 0;
            for (int p = 0; p < size; p++) {
                if (value[p] > 0 && value[p] >= minValue) {
                    if (userMap[user[p]] < 0) {
                        userMap[user[p]] = keptUsers.add(users.id(user[p]));
                    }
                    if (itemMap[item[p]] < 0) {
                        itemMap[item[p]] = keptItems.add(items.id(item[p]));
                    }
                    u[w] = userMap[user[p]];
                    i[w] = itemMap[item[p]];
                    v[w] = value[p];
                    if (t != null) {
                        t[w] = time[p] == Long.MIN_VALUE ? 0L : time[p];
                    }
                    w++;
                }
            }
            return new Interactions(keptUsers, keptItems, u, i, v, t);
        }
    }
}
