package dev.mfrecs.plugin.rest;

import dev.mfrecs.plugin.action.ListModelsAction;
import dev.mfrecs.plugin.action.ListModelsRequest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestToXContentListener;

import java.util.List;

/** {@code GET /_mf/model}: every model with its live version, versions, pin, lock and last run. */
public final class RestListModelsAction extends BaseRestHandler {

    @Override
    public String getName() {
        return ListModelsAction.API;
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.GET, "/_mf/model"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        return channel -> client.execute(ListModelsAction.INSTANCE, new ListModelsRequest(), new RestToXContentListener<>(channel));
    }
}
