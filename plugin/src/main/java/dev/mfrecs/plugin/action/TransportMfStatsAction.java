package dev.mfrecs.plugin.action;

import dev.mfrecs.plugin.MfServices;

import org.elasticsearch.action.FailedNodeException;
import org.elasticsearch.action.support.ActionFilters;
import org.elasticsearch.action.support.nodes.TransportNodesAction;
import org.elasticsearch.cluster.node.DiscoveryNode;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.injection.guice.Inject;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.threadpool.ThreadPool;
import org.elasticsearch.transport.TransportService;

import java.io.IOException;
import java.util.List;

/** Asks every node (or the ones named) for a snapshot of its {@code MfStats}, on the {@code management} pool. */
public final class TransportMfStatsAction extends TransportNodesAction<MfStatsRequest, MfStatsResponse, MfStatsRequest.NodeRequest,
    MfStatsResponse.NodeStats, Void> {

    private final MfServices services;

    @Inject
    public TransportMfStatsAction(ThreadPool threadPool, ClusterService clusterService, TransportService transportService,
                                  ActionFilters actionFilters, MfServices services) {
        super(MfStatsAction.NAME, clusterService, transportService, actionFilters, MfStatsRequest.NodeRequest::new,
            threadPool.executor(ThreadPool.Names.MANAGEMENT));
        this.services = services;
    }

    @Override
    protected MfStatsResponse newResponse(MfStatsRequest request, List<MfStatsResponse.NodeStats> nodes,
                                          List<FailedNodeException> failures) {
        return new MfStatsResponse(clusterService.getClusterName(), nodes, failures);
    }

    @Override
    protected MfStatsRequest.NodeRequest newNodeRequest(MfStatsRequest request) {
        return new MfStatsRequest.NodeRequest();
    }

    @Override
    protected MfStatsResponse.NodeStats newNodeResponse(StreamInput in, DiscoveryNode node) throws IOException {
        return new MfStatsResponse.NodeStats(in, node);
    }

    @Override
    protected MfStatsResponse.NodeStats nodeOperation(MfStatsRequest.NodeRequest request, Task task) {
        return new MfStatsResponse.NodeStats(clusterService.localNode(), services.stats().snapshot());
    }
}
