package dev.mfrecs.plugin.rest;

import dev.mfrecs.plugin.action.ModelAdminRequest;
import dev.mfrecs.plugin.action.UnpinModelAction;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestToXContentListener;

import java.util.List;

/** {@code POST /_mf/model/{model}/_unpin}: lets scheduled trainer runs publish again after a rollback. */
public final class RestUnpinModelAction extends BaseRestHandler {

    @Override
    public String getName() {
        return UnpinModelAction.API;
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.POST, "/_mf/model/{model}/_unpin"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        ModelAdminRequest unpin = new ModelAdminRequest(UnpinModelAction.API, request.param("model"), null, false);
        return channel -> client.execute(UnpinModelAction.INSTANCE, unpin, new RestToXContentListener<>(channel));
    }
}
