package dev.mfrecs.evaluation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CsvTest {

    @Test
    void splitsQuotedFieldsWithCommasAndDoubledQuotes() {
        assertEquals(List.of("536365", "85123A", "HEART, \"WHITE\"", "6", ""), Csv.split("536365,85123A,\"HEART, \"\"WHITE\"\"\",6,"));
        assertEquals(List.of("a", "", "c"), Csv.split("a,,c"));
    }
}
