package dev.mfrecs.plugin.rest;

import dev.mfrecs.plugin.action.MfStatsAction;
import dev.mfrecs.plugin.action.MfStatsRequest;

import org.elasticsearch.client.internal.node.NodeClient;
import org.elasticsearch.common.Strings;
import org.elasticsearch.rest.BaseRestHandler;
import org.elasticsearch.rest.RestRequest;
import org.elasticsearch.rest.action.RestToXContentListener;

import java.util.List;

/** {@code GET /_mf/_stats} and {@code GET /_mf/_stats/{node_id}}: the plugin's counters per node. */
public final class RestMfStatsAction extends BaseRestHandler {

    @Override
    public String getName() {
        return MfStatsAction.API;
    }

    @Override
    public List<Route> routes() {
        return List.of(new Route(RestRequest.Method.GET, "/_mf/_stats"), new Route(RestRequest.Method.GET, "/_mf/_stats/{node_id}"));
    }

    @Override
    protected RestChannelConsumer prepareRequest(RestRequest request, NodeClient client) {
        MfStatsRequest stats = new MfStatsRequest(Strings.splitStringByCommaToArray(request.param("node_id", "_all")));
        return channel -> client.execute(MfStatsAction.INSTANCE, stats, new RestToXContentListener<>(channel));
    }
}
