package dev.mfrecs.evaluation;

import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.trainer.data.InteractionFileOptions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The evaluation's two sources: {@code --input} through the production reader (timestamps, combined-value filter, duplicate
 * policy) and the Online Retail purchase filter. The file format itself is tested in {@code InteractionFileReaderTest}.
 */
class EvalDataTest {

    @TempDir
    Path dir;

    @Test
    void inputFilesGoThroughTheProductionReaderWithTimestampsAndPairLevelMinValue() throws IOException {
        Path f = dir.resolve("ratings.dat");
        Files.writeString(f, "1::10::5::978300760\n1::11::3::978300761\n2::10::4::978300000\n2::10::1::978309999\n3::12::2::1\n");
        DataOptions options = new DataOptions();
        options.source.input = f;
        options.duplicates = "sum";
        Interactions all = options.load();
        assertEquals(4, all.size());
        int p = pair(all, "2", "10");
        assertEquals(5f, all.value()[p]); // 4 + 1
        assertEquals(978309999000L, all.times()[p]); // the latest, seconds -> millis
        options.minValue = 4;
        Interactions positives = options.load();
        assertEquals(2, positives.size()); // (1,10)=5 and (2,10)=5: the summed value counts, not each row
        assertEquals(2, positives.userCount(), "users without a kept pair are dropped");
        assertEquals(1, positives.itemCount(), "items without a kept pair are dropped");
        assertEquals(978309999000L, positives.times()[pair(positives, "2", "10")]);
        options.minValue = 0;
        options.duplicates = "last";
        Interactions last = options.load();
        assertEquals(1f, last.value()[pair(last, "2", "10")], "--duplicates last: the row read last wins");
        options.duplicates = "newest";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, options::load);
        assertEquals("[--duplicates] must be one of [sum, last, mean] (was [newest])", e.getMessage());
    }

    @Test
    void repeatedRowsDefaultToWhatTrainInputDoesForEachAlgorithm() {
        DataOptions options = new DataOptions();
        for (String algorithm : ModelSpec.MODELS) {
            boolean ratings = List.of("als", "funk", "biases").contains(algorithm);
            assertEquals(InteractionFileOptions.defaultDuplicates(ratings), options.duplicatePolicy(algorithm), algorithm);
            assertEquals(ratings ? DuplicatePolicy.LAST : DuplicatePolicy.SUM, options.duplicatePolicy(algorithm), algorithm);
        }
        options.duplicates = "mean";
        assertEquals(DuplicatePolicy.MEAN, options.duplicatePolicy("ials"), "--duplicates wins over the default");
    }

    @Test
    void twoColumnFilesNeedTheDeclaredHeader() throws IOException {
        Path f = dir.resolve("clicks.csv");
        Files.writeString(f, "user,item\nu1,a\nu2,a\nu2,b\n");
        DataOptions options = new DataOptions();
        options.source.input = f;
        options.duplicates = "sum";
        assertEquals(3, options.load().userCount(), "undeclared, the header line is a user");
        options.header = true;
        Interactions declared = options.load();
        assertEquals(2, declared.userCount());
        assertEquals(-1, declared.users().indexOf("user"));
        assertNull(declared.times(), "no timestamp column");
    }

    @Test
    void retailKeepsPurchasesOnly() throws IOException {
        Path gz = dir.resolve("retail.csv.gz");
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(gz)), StandardCharsets.UTF_8)) {
            w.write("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n");
            w.write("1,A,\"RED MUG\",6,2010-12-01T08:26:00Z,2.55,17850,United Kingdom\n");
            w.write("2,A,\"RED MUG\",4,2010-12-02T08:26:00Z,2.55,17850,France\n");
            w.write("3,A,\"RED MUG\",4,2010-12-03T08:26:00Z,2.55,17851,France\n");
            w.write("C4,A,\"RED MUG\",-6,2010-12-04T08:26:00Z,2.55,17850,United Kingdom\n"); // return
            w.write("5,B,BAG,3,2010-12-05T08:26:00Z,1.00,,United Kingdom\n"); // no customer
            w.write("6,B,BAG,-1,2010-12-05T08:26:00Z,1.00,17850,United Kingdom\n"); // negative quantity
            w.write("7,C,TIN,1,2010-12-06T08:26:00Z,1.00,17851,France\n");
        }
        RetailData r = RetailData.load(gz);
        Interactions d = r.interactions();
        assertEquals(3, d.size()); // (17850, A), (17851, A), (17851, C)
        int p = pair(d, "17850", "A");
        assertEquals(2f, d.value()[p]); // two purchase lines
        assertEquals(10f, r.quantity()[p]); // 6 + 4
        assertEquals(Instant.parse("2010-12-02T08:26:00Z").toEpochMilli(), d.times()[p]);
        int a = d.items().indexOf("A");
        assertEquals("RED MUG", r.description()[a]);
        assertEquals("France", r.country()[a]); // 2 of 3 purchase lines
        assertEquals("kitchen", RetailCategory.of(r.description()[a]));
        assertEquals(-1, d.items().indexOf("B"));
    }

    static int pair(Interactions d, String user, String item) {
        int u = d.users().indexOf(user);
        int i = d.items().indexOf(item);
        for (int p = 0; p < d.size(); p++) {
            if (d.user()[p] == u && d.item()[p] == i) {
                return p;
            }
        }
        throw new AssertionError("no pair " + user + ", " + item);
    }
}
