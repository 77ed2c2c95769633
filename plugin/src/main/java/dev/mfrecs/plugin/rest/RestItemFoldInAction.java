package dev.mfrecs.plugin.rest;

import dev.mfrecs.plugin.action.ItemFoldInAction;
import dev.mfrecs.plugin.action.ItemFoldInRequest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestCancellableNodeClient;
import org.elasticsearch.rest.action.RestToXContentListener;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.ParseField;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /_mf/model/{model}/_items/_fold_in} with {@code {"item": id}} or {@code {"items": [ids]}}: parses the body and hands
 * it to the transport action; nothing else happens here.
 */
public final class RestItemFoldInAction extends BaseRestHandler {

    /** The parsed body: one item, several, or both (merged). */
    private static final class Body {
        final List<String> items = new ArrayList<>();
    }

    private static final ObjectParser<Body, Void> PARSER = new ObjectParser<>(ItemFoldInAction.API, Body::new);

    static {
        PARSER.declareString((b, v) -> b.items.add(v), new ParseField("item"));
        PARSER.declareStringArray((b, v) -> b.items.addAll(v), new ParseField("items"));
    }

    @Override
    public String getName() {
        return ItemFoldInAction.API;
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.POST, "/_mf/model/{model}/_items/_fold_in"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        Body body;
        try (XContentParser parser = request.contentParser()) {
            body = PARSER.parse(parser, null);
        }
        ItemFoldInRequest foldIn = new ItemFoldInRequest(request.param("model"), body.items);
        return channel -> new RestCancellableNodeClient(client, request.getHttpChannel()).execute(ItemFoldInAction.INSTANCE, foldIn,
            new RestToXContentListener<>(channel));
    }
}
