package dev.mfrecs.trainer.data;

import dev.mfrecs.contract.DuplicatePolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the interaction file format: separators, headers, gzip, duplicates, value filters and line-numbered errors. */
class InteractionFileReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static InteractionMatrix read(Path file, InteractionFileOptions options) throws IOException {
        return new InteractionFileReader(options).read(file);
    }

    private static float value(InteractionMatrix m, String user, String item) {
        int u = m.users().indexOf(user);
        int i = m.items().indexOf(item);
        assertTrue(u >= 0 && i >= 0, "pair [" + user + ", " + item + "] is missing");
        return m.userItems().get(u, i);
    }

    private static long time(InteractionMatrix m, String user, String item) {
        int u = m.users().indexOf(user);
        int i = m.items().indexOf(item);
        for (int p = m.userItems().indptr()[u]; p < m.userItems().indptr()[u + 1]; p++) {
            if (m.userItems().indices()[p] == i) {
                return m.times()[p];
            }
        }
        throw new AssertionError("pair [" + user + ", " + item + "] is missing");
    }

    @Test
    void tabSeparatedWithHeaderAndTimestampSumsRepeatedPairs() throws IOException {
        Path file = write("log.tsv", "user\titem\tcount\tts\nu1\ta\t2\t100\nu1\tb\t1\t101\nu2\ta\t1\t102\nu1\ta\t3\t103\n");
        InteractionMatrix m = read(file, InteractionFileOptions.implicit());
        assertEquals(2, m.users().size());
        assertEquals(2, m.items().size());
        assertEquals(3, m.userItems().nnz());
        assertEquals(4, m.events());
        assertEquals(5f, value(m, "u1", "a"));
        assertEquals(1f, value(m, "u2", "a"));
        assertEquals(-1, m.users().indexOf("user"), "the header must not become a user");
    }

    @Test
    void movieLensDoubleColonWithoutHeader() throws IOException {
        Path file = write("ratings.dat", "1::1193::5::978300760\n1::661::3::978302109\n2::1193::4::978298413\n");
        InteractionMatrix m = read(file, InteractionFileOptions.implicit().withDuplicates(DuplicatePolicy.LAST));
        assertEquals(3, m.userItems().nnz());
        assertEquals(5f, value(m, "1", "1193"));
        assertEquals(4f, value(m, "2", "1193"));
    }

    @Test
    void gzipCommaTwoColumnsDefaultsValueToOneAndTrimsFields() throws IOException {
        Path file = dir.resolve("clicks.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("\uFEFFalice, x\nbob ,y\n\nalice,x\nalice,y\n".getBytes(StandardCharsets.UTF_8));
        }
        InteractionMatrix m = read(file, InteractionFileOptions.implicit());
        assertEquals(2, m.users().size());
        assertEquals(3, m.userItems().nnz());
        assertEquals(2f, value(m, "alice", "x"));
        assertEquals(1f, value(m, "bob", "y"));
    }

    @Test
    void declaredHeaderOnTwoColumns() throws IOException {
        Path file = write("pairs.csv", "user_id,item_id\nu,i\n");
        InteractionMatrix detected = read(file, InteractionFileOptions.implicit());
        assertEquals(2, detected.users().size(), "without a value column a header cannot be detected");
        InteractionMatrix declared = read(file, InteractionFileOptions.implicit().withHeader(true));
        assertEquals(1, declared.users().size());
        assertEquals("u", declared.users().id(0));
    }

    @Test
    void minValueKeepsHighRatingsAndBinarizes() throws IOException {
        Path file = write("r.csv", "u1,a,5\nu1,b,2\nu2,a,4\nu2,c,3.5\nu3,b,1\n");
        InteractionMatrix m = read(file, InteractionFileOptions.implicit().withMinValue(4f, true));
        assertEquals(2, m.users().size(), "u3 has no rating >= 4");
        assertEquals(1, m.items().size());
        assertEquals(1f, value(m, "u1", "a"));
        assertEquals(1f, value(m, "u2", "a"));
        InteractionMatrix raw = read(file, InteractionFileOptions.implicit().withMinValue(3.5f, false));
        assertEquals(3.5f, value(raw, "u2", "c"));
        assertEquals(3, raw.userItems().nnz());
    }

    @Test
    void explicitPoliciesKeepLastOrMeanAndNonPositiveRatings() throws IOException {
        Path file = write("r.tsv", "u\ti\t4\nu\ti\t2\nu\tj\t0\nv\tj\t-3\n");
        InteractionMatrix last = read(file, InteractionFileOptions.implicit().withDuplicates(DuplicatePolicy.LAST));
        assertEquals(2f, value(last, "u", "i"));
        assertEquals(3, last.userItems().nnz(), "a zero and a negative rating are ratings");
        assertEquals(-3f, value(last, "v", "j"));
        InteractionMatrix mean = read(file, InteractionFileOptions.implicit().withDuplicates(DuplicatePolicy.MEAN));
        assertEquals(3f, value(mean, "u", "i"));
        InteractionMatrix sum = read(file, InteractionFileOptions.implicit());
        assertEquals(6f, value(sum, "u", "i"));
        assertEquals(1, sum.userItems().nnz(), "implicit sums drop pairs that are not positive");
    }

    @Test
    void minimumCountsDropSparseUsersAndItems() throws IOException {
        Path file = write("r.csv", "a,x\na,y\nb,x\nb,y\nc,x\n");
        InteractionMatrix m = read(file, new InteractionFileOptions(Float.NaN, false, DuplicatePolicy.SUM, null, 2, 1));
        assertEquals(2, m.users().size());
        assertEquals(-1, m.users().indexOf("c"));
        assertEquals(4, m.userItems().nnz());
    }

    @Test
    void tooFewColumnsNamesFileAndLine() throws IOException {
        Path file = write("ratings.csv", "user,item,rating\n1,10,4\n2,11,5\n3\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(file, InteractionFileOptions.implicit()));
        assertEquals("[ratings.csv] line 4: expected 2 to 4 columns, got [1]", e.getMessage());
    }

    @Test
    void tooManyColumnsOnFirstLine() throws IOException {
        Path file = write("wide.tsv", "a\tb\t1\t2\t3\t4\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(file, InteractionFileOptions.implicit()));
        assertEquals("[wide.tsv] line 1: expected 2 to 4 columns, got [6]", e.getMessage());
    }

    @Test
    void nonNumericValueAfterTheHeader() throws IOException {
        Path file = write("r.csv", "u,i,r\nu1,i1,3\n\nu2,i2,three\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(file, InteractionFileOptions.implicit()));
        assertEquals("[r.csv] line 4: value [three] is not a number", e.getMessage());
    }

    @Test
    void infiniteValueIsRejected() throws IOException {
        Path file = write("r.csv", "u1,i1,3\nu2,i2,Infinity\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(file, InteractionFileOptions.implicit()));
        assertEquals("[r.csv] line 2: value [Infinity] is not finite", e.getMessage());
    }

    @Test
    void columnCountMustStayTheSame() throws IOException {
        Path file = write("r.csv", "u1,i1,3\nu2,i2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(file, InteractionFileOptions.implicit()));
        assertEquals("[r.csv] line 2: expected [3] columns like the first data line, got [2]", e.getMessage());
    }

    @Test
    void emptyIdsAreRejected() throws IOException {
        Path file = write("r.tsv", "u1\ti1\n\ti2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(file, InteractionFileOptions.implicit()));
        assertEquals("[r.tsv] line 2: empty user id", e.getMessage());
    }

    @Test
    void emptyAndMissingFiles() throws IOException {
        Path empty = write("empty.csv", "\n\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> read(empty, InteractionFileOptions.implicit()));
        assertEquals("[empty.csv] has no data lines", e.getMessage());
        Path missing = dir.resolve("missing.csv");
        e = assertThrows(IllegalArgumentException.class, () -> read(missing, InteractionFileOptions.implicit()));
        assertTrue(e.getMessage().startsWith("[--input] file ["), e.getMessage());
    }

    @Test
    void corruptGzipNamesTheFile() throws IOException {
        Path file = write("bad.csv.gz", "not gzip at all");
        IOException e = assertThrows(IOException.class, () -> read(file, InteractionFileOptions.implicit()));
        assertTrue(e.getMessage().startsWith("[bad.csv.gz] is not a valid gzip file"), e.getMessage());
    }

    @Test
    void keptTimestampsAreEachPairsLatestInMillisAlignedWithTheEntries() throws IOException {
        Path file = write("ratings.dat",
            "1::10::5::978300760\n1::11::3::978300761\n2::10::4::978300000\n2::10::1::978309999\n3::12::2::1\n");
        InteractionMatrix m = read(file, InteractionFileOptions.implicit().withKeepTimes(true));
        assertEquals(4, m.userItems().nnz());
        assertEquals(5f, value(m, "2", "10"), "4 + 1 summed");
        assertEquals(978309999000L, time(m, "2", "10"), "the latest row's seconds, as millis");
        assertEquals(978300761000L, time(m, "1", "11"));
        assertEquals(1000L, time(m, "3", "12"));
        assertNull(read(file, InteractionFileOptions.implicit()).times(), "training does not keep timestamps");
    }

    @Test
    void keptTimestampsAcceptMillisAndIsoInstantsAndAreNullWithoutTheColumn() throws IOException {
        Path gz = dir.resolve("b.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("u1,A,1,2011-01-02T03:04:05Z\nu2,B,2,1293937446000\n".getBytes(StandardCharsets.UTF_8));
        }
        InteractionMatrix g = read(gz, InteractionFileOptions.implicit().withKeepTimes(true));
        assertEquals(Instant.parse("2011-01-02T03:04:05Z").toEpochMilli(), time(g, "u1", "A"));
        assertEquals(1293937446000L, time(g, "u2", "B"));
        Path tsv = write("a.tsv", "user\titem\tvalue\nu1\tA\t2\nu2\tA\t1\n");
        assertNull(read(tsv, InteractionFileOptions.implicit().withKeepTimes(true)).times());
    }

    @Test
    void badTimestampNamesFileLineAndValueOnlyWhenKept() throws IOException {
        Path file = write("r.csv", "u,i,1,100\nu,j,1,yesterday\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> read(file, InteractionFileOptions.implicit().withKeepTimes(true)));
        assertEquals("[r.csv] line 2: timestamp [yesterday] is neither epoch seconds, epoch milliseconds nor ISO-8601", e.getMessage());
        assertEquals(2, read(file, InteractionFileOptions.implicit()).userItems().nnz(), "training only checks the column is present");
    }

    @Test
    void invalidOptionsNameTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> InteractionFileOptions.implicit().withMinValue(Float.POSITIVE_INFINITY, false));
        assertEquals("[--min-value] must be finite (was [Infinity])", e.getMessage());
    }
}
