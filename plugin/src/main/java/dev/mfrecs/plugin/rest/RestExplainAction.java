package dev.mfrecs.plugin.rest;

import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.action.ExplainAction;
import dev.mfrecs.plugin.action.FoldInRequest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestCancellableNodeClient;
import org.elasticsearch.rest.action.RestToXContentListener;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/** {@code POST /_mf/model/{model}/_explain}: parses the body and hands it to the transport action; nothing else happens here. */
public final class RestExplainAction extends BaseRestHandler {

    private final Supplier<MfServices> services;

    public RestExplainAction(Supplier<MfServices> services) {
        this.services = services;
    }

    @Override
    public String getName() {
        return ExplainAction.API;
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.POST, "/_mf/model/{model}/_explain"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        FoldInRequest explain = UserRequestBody.parse(request, ExplainAction.API, true, services.get());
        return channel -> new RestCancellableNodeClient(client, request.getHttpChannel()).execute(ExplainAction.INSTANCE, explain,
            new RestToXContentListener<>(channel));
    }
}
