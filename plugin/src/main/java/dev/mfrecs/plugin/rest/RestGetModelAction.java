package dev.mfrecs.plugin.rest;

import dev.mfrecs.plugin.action.GetModelAction;
import dev.mfrecs.plugin.action.GetModelRequest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestToXContentListener;

import java.util.List;

/** {@code GET /_mf/model/{model}}: the live version and all versions of a model. */
public final class RestGetModelAction extends BaseRestHandler {

    @Override
    public String getName() {
        return GetModelAction.API;
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.GET, "/_mf/model/{model}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        GetModelRequest get = new GetModelRequest(request.param("model"));
        return channel -> client.execute(GetModelAction.INSTANCE, get, new RestToXContentListener<>(channel));
    }
}
