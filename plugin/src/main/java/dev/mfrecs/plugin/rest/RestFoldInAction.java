package dev.mfrecs.plugin.rest;

import dev.mfrecs.plugin.action.ExplainAction;
import dev.mfrecs.plugin.action.FoldInAction;
import dev.mfrecs.plugin.action.FoldInRequest;
import dev.mfrecs.plugin.model.HistoryEntry;
import dev.mfrecs.plugin.model.UserSpec;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.List;

/**
 * {@code POST /_mf/model/{model}/_fold_in} and {@code POST /_mf/model/{model}/_explain}: parse the body and hand it to
 * the transport action; nothing else happens here.
 */
public final class RestFoldInAction extends BaseRestHandler {

    /** Mutable parse target for the body. */
    private static final class Body {
        String user;
        List<HistoryEntry> history;
        String item;
    }

    private final String api;

    private RestFoldInAction(String api) {
        this.api = api;
    }

    public static RestFoldInAction foldIn() {
        return new RestFoldInAction("mf_fold_in");
    }

    public static RestFoldInAction explain() {
        return new RestFoldInAction(ExplainAction.API);
    }

    private ObjectParser<Body, Void> parser() {
        ObjectParser<Body, Void> parser = new ObjectParser<>(api, Body::new);
        parser.declareString((b, v) -> b.user = v, new ParseField("user"));
        parser.declareField((b, v) -> b.history = v, (p, c) -> HistoryEntry.parseList(p, api), new ParseField("history"),
            ObjectParser.ValueType.VALUE_ARRAY);
        if (ExplainAction.API.equals(api)) {
            parser.declareString((b, v) -> b.item = v, new ParseField("item"));
        }
        return parser;
    }

    @Override
    public String getName() {
        return api;
    }

    @Override
    public List<Route> routes() {
        String suffix = ExplainAction.API.equals(api) ? "_explain" : "_fold_in";
        return List.of(new Route(RestRequest.Method.POST, "/_mf/model/{model}/" + suffix));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        String model = request.param("model");
        Body body;
        try (XContentParser parser = request.contentParser()) {
            body = parser().parse(parser, null);
        }
        FoldInRequest foldIn = new FoldInRequest(api, model, new UserSpec(body.user, body.history), body.item);
        if (ExplainAction.API.equals(api)) {
            return channel -> client.execute(ExplainAction.INSTANCE, foldIn, new RestToXContentListener<>(channel));
        }
        return channel -> client.execute(FoldInAction.INSTANCE, foldIn, new RestToXContentListener<>(channel));
    }
}
