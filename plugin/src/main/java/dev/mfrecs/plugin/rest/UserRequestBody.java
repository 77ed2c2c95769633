package dev.mfrecs.plugin.rest;

import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.action.FoldInRequest;
import dev.mfrecs.plugin.user.HistoryEntry;
import dev.mfrecs.plugin.user.UserSource;
import dev.mfrecs.plugin.user.UserSpec;

import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.List;

/**
 * The body the user-centred REST endpoints share, {@code {"user": ...}} (with an optional {@code "source"}) or
 * {@code {"history": [...]}} plus, for explanations, {@code "item"}: parsed into a {@link FoldInRequest} so every endpoint validates
 * a user the same way. Unknown fields and an over-long history are refused while parsing.
 */
final class UserRequestBody {

    private String user;
    private List<HistoryEntry> history;
    private String source;
    private Boolean fresh;
    private String item;

    private UserRequestBody() {}

    /** Parses the request's body for {@code api}; {@code withItem} declares the {@code item} field. */
    static FoldInRequest parse(RestRequest request, String api, boolean withItem, MfServices services) throws IOException {
        ObjectParser<UserRequestBody, Void> parser = new ObjectParser<>(api, UserRequestBody::new);
        parser.declareString((b, v) -> b.user = v, new ParseField("user"));
        parser.declareString((b, v) -> b.source = v, new ParseField("source"));
        parser.declareBoolean((b, v) -> b.fresh = v, new ParseField("fresh"));
        parser.declareField((b, v) -> b.history = v, (p, c) -> HistoryEntry.parseList(p, api, services.settings().maxHistory()),
            new ParseField("history"), ObjectParser.ValueType.VALUE_ARRAY);
        if (withItem) {
            parser.declareString((b, v) -> b.item = v, new ParseField("item"));
        }
        UserRequestBody body;
        try (XContentParser xContent = request.contentParser()) {
            body = parser.parse(xContent, null);
        }
        UserSource source = body.source == null ? null : UserSource.parse(api, body.source);
        return new FoldInRequest(api, request.param("model"), new UserSpec(body.user, body.history, source, body.fresh), body.item);
    }
}
