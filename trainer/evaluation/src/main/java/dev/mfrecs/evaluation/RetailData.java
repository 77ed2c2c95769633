package dev.mfrecs.evaluation;

import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.trainer.data.InteractionMatrix;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The bundled UCI Online Retail log as evaluation data. A purchase is an invoice line with a customer id, an invoice number not
 * starting with {@code C} (returns) and a positive quantity. Each (customer, product) pair's value is its number of purchase lines
 * (how often the customer bought it; raw quantities span five orders of magnitude and would drown the confidence weights), its time
 * the latest such line. Alongside: the pair's total quantity (the ratings of the report's bias chart) and each product's most
 * frequent description and the country with most purchase lines (item attributes for the report).
 *
 * @param quantity    total purchased quantity per pair, aligned with {@code interactions}
 * @param description per item, most frequent description ("" if none)
 * @param country     per item, the country with most purchase lines
 */
public record RetailData(Interactions interactions, float[] quantity, String[] description, String[] country) {

    public static RetailData load(Path csvGz) throws IOException {
        // both see the same (customer, product) rows in the same order, so their matrices have the same ids and entry order
        InteractionMatrix.Accumulator lines = new InteractionMatrix.Accumulator(DuplicatePolicy.SUM, true);
        InteractionMatrix.Accumulator quantities = new InteractionMatrix.Accumulator(DuplicatePolicy.SUM, true);
        Map<String, Map<String, Integer>> descriptions = new HashMap<>();
        Map<String, Map<String, Integer>> countries = new HashMap<>();
        RetailCsv.read(csvGz, line -> {
            if (line.customer().isEmpty() || line.isReturn() || line.quantity() <= 0) {
                return;
            }
            long time = parseTime(line.timestamp(), csvGz, line.lineNo());
            lines.add(line.customer(), line.stock(), 1f, time);
            quantities.add(line.customer(), line.stock(), line.quantity(), time);
            if (line.description().isEmpty() == false) {
                descriptions.computeIfAbsent(line.stock(), k -> new HashMap<>()).merge(line.description(), 1, Integer::sum);
            }
            countries.computeIfAbsent(line.stock(), k -> new HashMap<>()).merge(line.country(), 1, Integer::sum);
        });
        Interactions data = Interactions.of(lines.build(1, 1));
        Interactions q = Interactions.of(quantities.build(1, 1));
        if (q.size() != data.size() || Arrays.equals(q.item(), data.item()) == false) {
            throw new IllegalStateException("RetailData: quantity pairs [" + q.size() + "] != purchase pairs [" + data.size() + "]");
        }
        String[] description = new String[data.itemCount()];
        String[] country = new String[data.itemCount()];
        for (int i = 0; i < description.length; i++) {
            String id = data.items().id(i);
            description[i] = mostFrequent(descriptions.get(id), "");
            country[i] = mostFrequent(countries.get(id), "");
        }
        return new RetailData(data, q.value(), description, country);
    }

    private static long parseTime(String s, Path file, int lineNo) throws IOException {
        try {
            if (s.endsWith("Z")) {
                return Instant.parse(s).toEpochMilli();
            }
            return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IOException("[" + file + "] line " + lineNo + ": InvoiceDate is not ISO-8601 [" + s + "]", e);
        }
    }

    /** The most frequent key; ties go to the smaller string so runs are reproducible. */
    static String mostFrequent(Map<String, Integer> counts, String dflt) {
        if (counts == null) {
            return dflt;
        }
        String best = dflt;
        int bestCount = -1;
        for (var e : counts.entrySet()) {
            if (e.getValue() > bestCount || (e.getValue() == bestCount && e.getKey().compareTo(best) < 0)) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best;
    }
}
