package dev.mfrecs.plugin.model;

import dev.mfrecs.plugin.MfSettings;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;

import java.io.IOException;
import java.util.List;

/**
 * Who a request is for: a user id (their trained vector, or a fold-in of their events in the interactions index) or an
 * inline history (always folded in). Exactly one of the two is set; {@link #validate} says which rule is broken.
 */
public record UserSpec(String user, List<HistoryEntry> history) implements Writeable {

    public UserSpec {
        history = history == null ? null : List.copyOf(history);
    }

    public UserSpec(StreamInput in) throws IOException {
        this(in.readOptionalString(), in.readBoolean() ? in.readCollectionAsList(HistoryEntry::new) : null);
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeOptionalString(user);
        out.writeBoolean(history != null);
        if (history != null) {
            out.writeCollection(history);
        }
    }

    /** Returns null when valid, otherwise a message naming the API and the offending value. */
    public String validate(String api) {
        if (user == null && history == null) {
            return "[" + api + "] requires one of [user] or [history]";
        }
        if (user != null && history != null) {
            return "[" + api + "] takes [user] or [history], not both";
        }
        if (user != null && user.isEmpty()) {
            return "[" + api + "] [user] must not be empty";
        }
        return history == null ? null : HistoryEntry.validate(api, history, MfSettings.maxHistory());
    }
}
