package dev.mfrecs.plugin.rest;

import dev.mfrecs.plugin.action.DeleteModelAction;
import dev.mfrecs.plugin.action.ModelAdminRequest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestToXContentListener;

import java.util.List;

/** {@code DELETE /_mf/model/{model}}: deletes every version of a model, its metadata and its pin. */
public final class RestDeleteModelAction extends BaseRestHandler {

    @Override
    public String getName() {
        return DeleteModelAction.API;
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.DELETE, "/_mf/model/{model}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        ModelAdminRequest delete = new ModelAdminRequest(DeleteModelAction.API, request.param("model"), null, false);
        return channel -> client.execute(DeleteModelAction.INSTANCE, delete, new RestToXContentListener<>(channel));
    }
}
