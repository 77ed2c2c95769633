package dev.mfrecs.plugin.user;

import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One item of a user's history given inline in a request: the item id and the interaction value (a count, a weight or
 * a rating; 1 when omitted). Written as {@code {"item": "85123A", "value": 3}} or simply {@code "85123A"}.
 */
public record HistoryEntry(String item, float value) implements Writeable, ToXContentObject {

    /**
     * The largest history value magnitude accepted. Confidence grows linearly with the value, so a value near the float range
     * turns the fold-in system singular; no count, weight or rating needs more than this.
     */
    public static final float MAX_ABS_VALUE = 1_000_000f;

    public HistoryEntry(StreamInput in) throws IOException {
        this(in.readString(), in.readFloat());
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(item);
        out.writeFloat(value);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.startObject().field("item", item).field("value", value).endObject();
    }

    /**
     * Parses the array the parser stands on; {@code api} names the caller in error messages. A history longer than
     * {@code maxHistory} is rejected as soon as its entry {@code maxHistory + 1} is read, before the rest is parsed.
     */
    public static List<HistoryEntry> parseList(XContentParser parser, String api, int maxHistory) throws IOException {
        if (parser.currentToken() != XContentParser.Token.START_ARRAY) {
            throw new ParsingException(parser.getTokenLocation(), "[" + api + "] [history] must be an array, got [" + parser.currentToken()
                + "]");
        }
        List<HistoryEntry> entries = new ArrayList<>();
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_ARRAY) {
            if (entries.size() == maxHistory) {
                throw new ParsingException(parser.getTokenLocation(), "[" + api + "] [history] has more than the maximum [" + maxHistory
                    + "] items (setting [mf.fold_in.max_history])");
            }
            if (token == XContentParser.Token.VALUE_STRING || token == XContentParser.Token.VALUE_NUMBER) {
                entries.add(new HistoryEntry(parser.text(), 1f));
            } else if (token == XContentParser.Token.START_OBJECT) {
                entries.add(parseObject(parser, api, entries.size()));
            } else {
                throw new ParsingException(parser.getTokenLocation(), "[" + api + "] history entries must be item ids or objects, got ["
                    + token + "]");
            }
        }
        return List.copyOf(entries);
    }

    private static HistoryEntry parseObject(XContentParser parser, String api, int index) throws IOException {
        String item = null;
        float value = 1f;
        String field = null;
        XContentParser.Token token;
        while ((token = parser.nextToken()) != XContentParser.Token.END_OBJECT) {
            if (token == XContentParser.Token.FIELD_NAME) {
                field = parser.currentName();
            } else if ("item".equals(field) && token.isValue()) {
                item = parser.text();
            } else if ("value".equals(field) && token == XContentParser.Token.VALUE_NUMBER) {
                value = parser.floatValue();
            } else if ("value".equals(field) && token == XContentParser.Token.VALUE_STRING) {
                // "NaN" and "Infinity" arrive as strings; parse them so validation can name them.
                try {
                    value = Float.parseFloat(parser.text());
                } catch (NumberFormatException e) {
                    throw new ParsingException(parser.getTokenLocation(), "[" + api + "] history [value] must be a number, got ["
                        + parser.text() + "]");
                }
            } else {
                throw new ParsingException(parser.getTokenLocation(), "[" + api + "] unknown history field [" + field + "]");
            }
        }
        if (item == null) {
            throw new ParsingException(parser.getTokenLocation(), "[" + api + "] history entry [" + index + "] lacks [item]");
        }
        return new HistoryEntry(item, value);
    }

    /** Returns null when the history is usable, otherwise a message naming the API and the offending value. */
    public static String validate(String api, List<HistoryEntry> history, int maxHistory) {
        if (history.isEmpty()) {
            return "[" + api + "] [history] must not be empty";
        }
        if (history.size() > maxHistory) {
            return "[" + api + "] [history] has [" + history.size() + "] items, more than the maximum [" + maxHistory + "]";
        }
        for (HistoryEntry e : history) {
            if (Float.isFinite(e.value) == false) {
                return "[" + api + "] history [value] for item [" + e.item + "] must be finite, got [" + e.value + "]";
            }
            if (Math.abs(e.value) > MAX_ABS_VALUE) {
                return "[" + api + "] history [value] for item [" + e.item + "] must be within [-" + (long) MAX_ABS_VALUE + ", "
                    + (long) MAX_ABS_VALUE + "], got [" + e.value + "]";
            }
            if (e.item.isEmpty()) {
                return "[" + api + "] history [item] ids must not be empty";
            }
        }
        return null;
    }
}
