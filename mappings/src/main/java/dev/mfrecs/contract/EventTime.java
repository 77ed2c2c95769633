package dev.mfrecs.contract;

/**
 * Event timestamps are one type after reading: epoch milliseconds, whatever the field's date format ({@code epoch_second},
 * {@code epoch_millis}, ISO-8601, {@code date_nanos}). Every reader of the interactions index (the trainer's scans, the Spark
 * reader, the plugin's fold-in) asks Elasticsearch for the timestamp as a doc value in {@link #DOCVALUE_FORMAT} instead of
 * reading {@code _source}, whose raw value depends on the mapping's format (an {@code epoch_second} field holds seconds), and
 * converts it here.
 */
public final class EventTime {

    /** The {@code docvalue_fields} format every reader requests for the timestamp field. */
    public static final String DOCVALUE_FORMAT = "epoch_millis";

    private EventTime() {}

    /**
     * The epoch milliseconds of a doc value read with {@link #DOCVALUE_FORMAT}: Elasticsearch renders it as a string of
     * milliseconds (with a fraction for {@code date_nanos}); a number is taken as milliseconds too. Null for a missing value.
     *
     * @throws IllegalArgumentException for anything else, naming the value
     */
    public static Long millis(Object docValue) {
        if (docValue == null) {
            return null;
        }
        if (docValue instanceof Number n) {
            return n.longValue();
        }
        String s = docValue.toString();
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            try {
                return (long) Math.floor(Double.parseDouble(s));
            } catch (NumberFormatException e2) {
                throw new IllegalArgumentException("timestamp [" + s + "] is not in the [" + DOCVALUE_FORMAT + "] format");
            }
        }
    }
}
