package dev.mfrecs.trainer.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.zip.GZIPInputStream;

/**
 * Reads interactions from a delimited text file (MovieLens {@code ratings.dat}, a CSV export, a TSV log) so a model can be
 * trained offline without an Elasticsearch cluster. Columns, in this order: user, item, optional value (default 1),
 * optional timestamp (checked to be present and not used for training; with {@link InteractionFileOptions#keepTimes()} parsed
 * as epoch seconds, epoch milliseconds or an ISO-8601 instant, and each pair's latest kept, for evaluation). Rules:
 * <ul>
 *   <li>the separator is detected from the first data line: {@code ::} if present, else a tab, else a comma; fields are
 *       trimmed; quoting is not supported (use tabs when ids contain commas);</li>
 *   <li>the first line is a header when its value column is not a number (a two-column file cannot be told apart, so its
 *       header must be declared with {@link InteractionFileOptions#header()});</li>
 *   <li>blank lines are skipped; every other line must have the same number of columns as the first data line;</li>
 *   <li>a name ending in {@code .gz} is gunzipped; text is UTF-8 and a leading byte-order mark is ignored.</li>
 * </ul>
 * Errors name the file and the 1-based line number, e.g. {@code [ratings.csv] line 17: expected 2 to 4 columns, got [1]}.
 */
public final class InteractionFileReader {

    private final InteractionFileOptions options;

    public InteractionFileReader(InteractionFileOptions options) {
        this.options = options;
    }

    /** Reads {@code file} into a matrix; see the class javadoc for the format. */
    public InteractionMatrix read(Path file) throws IOException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try (BufferedReader in = open(file, name)) {
            return read(in, name);
        }
    }

    /** Reads already-opened text; {@code name} is what error messages call the source. */
    public InteractionMatrix read(BufferedReader in, String name) throws IOException {
        InteractionMatrix.Accumulator acc = null;
        boolean timed = false;
        String separator = null;
        int columns = 0;
        String[] fields = new String[5];
        boolean filter = Float.isNaN(options.minValue()) == false;
        long lineNumber = 0;
        String line;
        while ((line = in.readLine()) != null) {
            lineNumber++;
            if (lineNumber == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            if (separator == null) {
                separator = detectSeparator(line);
                int n = split(line, separator, fields);
                if (n < 2 || n > 4) {
                    throw error(name, lineNumber, "expected 2 to 4 columns, got [" + n + "]");
                }
                columns = n;
                timed = options.keepTimes() && n == 4;
                acc = new InteractionMatrix.Accumulator(options.duplicates(), timed);
                boolean header = options.header() != null ? options.header() : n >= 3 && isNumber(fields[2]) == false;
                if (header) {
                    continue;
                }
            }
            int n = split(line, separator, fields);
            if (n < 2 || n > 4) {
                throw error(name, lineNumber, "expected 2 to 4 columns, got [" + n + "]");
            }
            if (n != columns) {
                throw error(name, lineNumber, "expected [" + columns + "] columns like the first data line, got [" + n + "]");
            }
            if (fields[0].isEmpty() || fields[1].isEmpty()) {
                throw error(name, lineNumber, "empty " + (fields[0].isEmpty() ? "user" : "item") + " id");
            }
            float value = 1f;
            if (n >= 3) {
                value = parseValue(fields[2], name, lineNumber);
            }
            if (n == 4 && fields[3].isEmpty()) {
                throw error(name, lineNumber, "empty timestamp");
            }
            if (filter && (value >= options.minValue()) == false) {
                continue;
            }
            if (timed) {
                acc.add(fields[0], fields[1], options.binarize() ? 1f : value, parseTime(fields[3], name, lineNumber));
            } else {
                acc.add(fields[0], fields[1], options.binarize() ? 1f : value);
            }
        }
        if (separator == null) {
            throw new IllegalArgumentException("[" + name + "] has no data lines");
        }
        return acc.build(options.minPerUser(), options.minPerItem());
    }

    private static BufferedReader open(Path file, String name) throws IOException {
        if (Files.isRegularFile(file) == false) {
            throw new IllegalArgumentException("[--input] file [" + file + "] does not exist or is not a regular file");
        }
        InputStream raw = Files.newInputStream(file);
        try {
            InputStream stream = name.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
            return new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            raw.close();
            throw new IOException("[" + name + "] is not a valid gzip file: " + e.getMessage(), e);
        }
    }

    static String detectSeparator(String line) {
        if (line.contains("::")) {
            return "::";
        }
        if (line.indexOf('\t') >= 0) {
            return "\t";
        }
        return ",";
    }

    /**
     * Splits {@code line} on {@code separator} into {@code fields} (trimmed), returning the number of columns; stops
     * filling at the array's length but keeps counting, so a too-wide line reports its true width.
     */
    static int split(String line, String separator, String[] fields) {
        int n = 0;
        int start = 0;
        while (true) {
            int end = line.indexOf(separator, start);
            String field = end < 0 ? line.substring(start) : line.substring(start, end);
            if (n < fields.length) {
                fields[n] = field.trim();
            }
            n++;
            if (end < 0) {
                return n;
            }
            start = end + separator.length();
        }
    }

    private static boolean isNumber(String s) {
        try {
            Float.parseFloat(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static float parseValue(String s, String name, long lineNumber) {
        float v;
        try {
            v = Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw error(name, lineNumber, "value [" + s + "] is not a number");
        }
        if (Float.isFinite(v) == false) {
            throw error(name, lineNumber, "value [" + s + "] is not finite");
        }
        return v;
    }

    /** Epoch milliseconds from epoch seconds or milliseconds (integers below 10^11 are seconds) or an ISO-8601 instant. */
    static long parseTime(String s, String name, long lineNumber) {
        try {
            long n = Long.parseLong(s);
            return n < 100_000_000_000L ? n * 1000 : n;
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw error(name, lineNumber, "timestamp [" + s + "] is neither epoch seconds, epoch milliseconds nor ISO-8601");
            }
        }
    }

    private static IllegalArgumentException error(String name, long lineNumber, String message) {
        return new IllegalArgumentException("[" + name + "] line " + lineNumber + ": " + message);
    }
}
