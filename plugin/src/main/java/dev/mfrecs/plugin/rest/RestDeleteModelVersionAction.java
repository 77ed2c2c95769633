package dev.mfrecs.plugin.rest;

import dev.mfrecs.plugin.action.DeleteModelVersionAction;
import dev.mfrecs.plugin.action.ModelAdminRequest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestToXContentListener;

import java.util.List;

/** {@code DELETE /_mf/model/{model}/version/{version}}: deletes one version that is neither live nor pinned. */
public final class RestDeleteModelVersionAction extends BaseRestHandler {

    @Override
    public String getName() {
        return DeleteModelVersionAction.API;
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.DELETE, "/_mf/model/{model}/version/{version}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        String value = request.param("version");
        int version;
        try {
            version = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[" + DeleteModelVersionAction.API + "] [version] must be an integer, got [" + value + "]");
        }
        ModelAdminRequest delete = new ModelAdminRequest(DeleteModelVersionAction.API, request.param("model"), version, true);
        return channel -> client.execute(DeleteModelVersionAction.INSTANCE, delete, new RestToXContentListener<>(channel));
    }
}
