package dev.mfrecs.evaluation;

import dev.mfrecs.trainer.data.IdDictionary;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Titles and categories of items, read from a file in the MovieLens {@code movies.dat} layout, so an {@code --input} log gets what
 * the Online Retail log has built in: the report colours its PCA of item factors by category and names items by title in the
 * personas, and {@code evaluate} counts the distinct categories of each top-10 list ({@code categories@10}). One line per item:
 * {@code id::title::categories} with the categories separated by {@code |} (e.g. {@code 1::Toy Story (1995)::Animation|Comedy});
 * a tab or a comma may separate the three fields instead of {@code ::} (the separator is detected from the first line; a comma
 * file must not have commas in titles). The text is read as UTF-8, or as ISO-8859-1 (the encoding of MovieLens 1M) when it is not
 * valid UTF-8; a {@code .gz} file is gunzipped. Ids absent from the file have no title and no category. Errors name the file and
 * line.
 *
 * @param titles     item id to title
 * @param categories item id to its categories, in file order
 */
public record ItemAttributes(Map<String, String> titles, Map<String, List<String>> categories) {

    public ItemAttributes {
        titles = Collections.unmodifiableMap(titles);
        categories = Collections.unmodifiableMap(categories);
    }

    public static ItemAttributes read(Path file) throws IOException {
        byte[] bytes;
        try (InputStream in = open(file)) {
            bytes = in.readAllBytes();
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            text = new String(bytes, StandardCharsets.ISO_8859_1);
        }
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        Map<String, String> titles = new LinkedHashMap<>();
        Map<String, List<String>> categories = new LinkedHashMap<>();
        String separator = null;
        int lineNo = 0;
        for (String line : text.split("\r?\n", -1)) {
            lineNo++;
            if (lineNo == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            if (line.isBlank()) {
                continue;
            }
            if (separator == null) {
                separator = line.contains("::") ? "::" : line.contains("\t") ? "\t" : ",";
            }
            String[] f = line.split(Pattern.quote(separator), -1);
            if (f.length != 3) {
                throw new IOException("[" + name + "] line " + lineNo + ": expected id" + separator + "title" + separator
                    + "categories, got [" + f.length + "] fields");
            }
            String id = f[0].strip();
            if (id.isEmpty()) {
                throw new IOException("[" + name + "] line " + lineNo + ": empty item id");
            }
            List<String> cats = new ArrayList<>();
            for (String c : f[2].split("\\|")) {
                String s = c.strip();
                if (s.isEmpty() == false && cats.contains(s) == false) {
                    cats.add(s);
                }
            }
            if (titles.put(id, f[1].strip()) != null) {
                throw new IOException("[" + name + "] line " + lineNo + ": item [" + id + "] listed twice");
            }
            categories.put(id, List.copyOf(cats));
        }
        return new ItemAttributes(titles, categories);
    }

    /** The title of {@code id}, or the id itself. */
    public String title(String id) {
        String t = titles.get(id);
        return t == null || t.isEmpty() ? id : t;
    }

    /** The first category of {@code id} (the PCA's colour), or {@code "other"}. */
    public String firstCategory(String id) {
        List<String> cs = categories.get(id);
        return cs == null || cs.isEmpty() ? "other" : cs.get(0);
    }

    /** How many of {@code items} the file describes. */
    public int covered(IdDictionary items) {
        int n = 0;
        for (int i = 0; i < items.size(); i++) {
            n += titles.containsKey(items.id(i)) ? 1 : 0;
        }
        return n;
    }

    /** Per dense item index, its category ids (categories numbered in order of first appearance); empty for items not in the file. */
    public int[][] categoryIds(IdDictionary items) {
        Map<String, Integer> number = new HashMap<>();
        int[][] out = new int[items.size()][];
        for (int i = 0; i < out.length; i++) {
            List<String> cs = categories.getOrDefault(items.id(i), List.of());
            out[i] = new int[cs.size()];
            for (int j = 0; j < cs.size(); j++) {
                out[i][j] = number.computeIfAbsent(cs.get(j), k -> number.size());
            }
        }
        return out;
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (file.toString().endsWith(".gz")) {
            return new GZIPInputStream(in);
        }
        return in;
    }
}
