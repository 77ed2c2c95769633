package dev.mfrecs.evaluation;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the bundled UCI Online Retail CSV (gzip) line by line: header check, RFC 4180 splitting, column count and
 * number parsing, with errors naming the file and line. The demo loader and the evaluation both read it through here.
 */
public final class RetailCsv {

    /** One invoice line. {@code timestamp} is ISO-8601 UTC as in the file; {@code customer} is empty when unknown. */
    public record Line(int lineNo, String invoice, String stock, String description, float quantity, String timestamp, float price,
                       String customer, String country) {

        /** A cancellation or return: its invoice number starts with "C". */
        public boolean isReturn() {
            return invoice.startsWith("C");
        }
    }

    /** Receives each line. */
    public interface LineConsumer {
        void accept(Line line) throws IOException;
    }

    private RetailCsv() {}

    public static void read(Path csvGz, LineConsumer consumer) throws IOException {
        try (
            BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(csvGz), 1 << 16),
                StandardCharsets.UTF_8), 1 << 16)
        ) {
            String header = in.readLine();
            if (header == null || header.startsWith("InvoiceNo,StockCode") == false) {
                throw new IOException("[" + csvGz + "] line 1: expected the Online Retail header, got [" + header + "]");
            }
            String text;
            int lineNo = 1;
            while ((text = in.readLine()) != null) {
                lineNo++;
                List<String> f = Csv.split(text);
                if (f.size() != 8) {
                    throw new IOException("[" + csvGz + "] line " + lineNo + ": expected 8 columns, got [" + f.size() + "]");
                }
                consumer.accept(new Line(lineNo, f.get(0), f.get(1), f.get(2), number(csvGz, lineNo, "quantity", f.get(3)), f.get(4),
                    f.get(5).isEmpty() ? 0 : number(csvGz, lineNo, "price", f.get(5)), f.get(6), f.get(7)));
            }
        }
    }

    private static float number(Path file, int lineNo, String column, String value) throws IOException {
        try {
            return Float.parseFloat(value);
        } catch (NumberFormatException e) {
            throw new IOException("[" + file + "] line " + lineNo + ": " + column + " is not a number [" + value + "]", e);
        }
    }
}
