package dev.mfrecs.plugin.rest;

import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.action.FoldInAction;
import dev.mfrecs.plugin.action.FoldInRequest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestCancellableNodeClient;
import org.elasticsearch.rest.action.RestToXContentListener;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;

/** {@code POST /_mf/model/{model}/_fold_in}: parses the body and hands it to the transport action; nothing else happens here. */
public final class RestFoldInAction extends BaseRestHandler {

    private final Supplier<MfServices> services;

    public RestFoldInAction(Supplier<MfServices> services) {
        this.services = services;
    }

    @Override
    public String getName() {
        return FoldInRequest.FOLD_IN_API;
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.POST, "/_mf/model/{model}/_fold_in"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) throws IOException {
        FoldInRequest foldIn = UserRequestBody.parse(request, FoldInRequest.FOLD_IN_API, false, services.get());
        return channel -> new RestCancellableNodeClient(client, request.getHttpChannel()).execute(FoldInAction.INSTANCE, foldIn,
            new RestToXContentListener<>(channel));
    }
}
