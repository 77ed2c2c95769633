package dev.mfrecs.plugin.user;

import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.common.io.stream.Writeable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Who a request is for: a user id (their trained vector, or a fold-in of their events in the interactions index, as
 * {@code source} allows) or an inline history (always folded in). Exactly one of the two is set; {@link #validate} says which
 * rule is broken.
 */
public record UserSpec(String user, List<HistoryEntry> history, UserSource source, Boolean fresh) implements Writeable {

    /** Elasticsearch's limit on a document id, which a user id is. */
    static final int MAX_ID_BYTES = 512;

    public UserSpec {
        history = history == null ? null : List.copyOf(history);
        source = source == null ? UserSource.AUTO : source;
    }

    /** A user id or a history, with the default source and freshness. */
    public UserSpec(String user, List<HistoryEntry> history) {
        this(user, history, UserSource.AUTO, null);
    }

    public UserSpec(StreamInput in) throws IOException {
        this(in.readOptionalString(), in.readBoolean() ? in.readCollectionAsList(HistoryEntry::new) : null, in.readEnum(UserSource.class),
            in.readOptionalBoolean());
    }

    /**
     * How much of a trained user's activity since the model's cut-off to take into account: {@code fresh} (the API's default when
     * unset) folds new events in; otherwise new items are still excluded as seen when the caller excludes seen items.
     */
    public Freshness freshness(boolean defaultFresh, boolean excludeSeen) {
        if (fresh == null ? defaultFresh : fresh) {
            return Freshness.FULL;
        }
        return excludeSeen ? Freshness.SEEN : Freshness.NONE;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeOptionalString(user);
        out.writeBoolean(history != null);
        if (history != null) {
            out.writeCollection(history);
        }
        out.writeEnum(source);
        out.writeOptionalBoolean(fresh);
    }

    /** Who the request is for, as error messages name it: the user id, or {@code history}. */
    public String describe() {
        return user != null ? user : "history";
    }

    /** Returns null when valid, otherwise a message naming the API and the offending value. */
    public String validate(String api, int maxHistory) {
        if (user == null && history == null) {
            return "[" + api + "] requires one of [user] or [history]";
        }
        if (user != null && history != null) {
            return "[" + api + "] takes [user] or [history], not both";
        }
        if (history != null && source != UserSource.AUTO) {
            return "[" + api + "] [source] applies to [user], not to [history]";
        }
        if (history != null && fresh != null) {
            return "[" + api + "] [fresh] applies to [user], not to [history]";
        }
        if (user != null && user.isEmpty()) {
            return "[" + api + "] [user] must not be empty";
        }
        if (user != null && user.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            return "[" + api + "] [user] must be at most [" + MAX_ID_BYTES + "] bytes, got [" + user.getBytes(StandardCharsets.UTF_8).length
                + "]";
        }
        return history == null ? null : HistoryEntry.validate(api, history, maxHistory);
    }
}
