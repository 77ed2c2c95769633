package dev.mfrecs.plugin.rest;

import dev.mfrecs.plugin.action.ModelAdminRequest;
import dev.mfrecs.plugin.action.RollbackModelAction;

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
 * {@code POST /_mf/model/{model}/_rollback} with an optional body {@code {"version": N}} (without it: the newest version older than
 * the live one): parses the body and hands it to the transport action.
 */
public final class RestRollbackModelAction extends BaseRestHandler {

    /** The optional body: the version to roll back to. */
    private static final class Body {
        Integer version;
    }

    private static final ObjectParser<Body, Void> PARSER = new ObjectParser<>(RollbackModelAction.API, Body::new);

    static {
        PARSER.declareInt((b, v) -> b.version = v, new ParseField("version"));
    }

    @Override
    public String getName() {
        return RollbackModelAction.API;
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.POST, "/_mf/model/{model}/_rollback"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        Body body = new Body();
        if (request.hasContentOrSourceParam()) {
            try (XContentParser parser = request.contentOrSourceParamParser()) {
                body = PARSER.parse(parser, null);
            }
        }
        ModelAdminRequest rollback = new ModelAdminRequest(RollbackModelAction.API, request.param("model"), body.version, false);
        return channel -> client.execute(RollbackModelAction.INSTANCE, rollback, new RestToXContentListener<>(channel));
    }
}
