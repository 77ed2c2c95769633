package dev.mfrecs.plugin.action;

import dev.mfrecs.plugin.stats.MfStats;

import org.elasticsearch.action.FailedNodeException;
import org.elasticsearch.action.support.TransportAction;
import org.elasticsearch.action.support.nodes.BaseNodeResponse;
import org.elasticsearch.action.support.nodes.BaseNodesResponse;
import org.elasticsearch.cluster.ClusterName;
import org.elasticsearch.cluster.node.DiscoveryNode;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.rest.action.RestActions;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;

/** {@code GET _mf/_stats}: the usual {@code _nodes} header and cluster name, then each node's counters under its id. */
public final class MfStatsResponse extends BaseNodesResponse<MfStatsResponse.NodeStats> implements ToXContentObject {

    public MfStatsResponse(ClusterName clusterName, List<NodeStats> nodes, List<FailedNodeException> failures) {
        super(clusterName, nodes, failures);
    }

    @Override
    protected List<NodeStats> readNodesFrom(StreamInput in) throws IOException {
        return TransportAction.localOnly();
    }

    @Override
    protected void writeNodesTo(StreamOutput out, List<NodeStats> nodes) throws IOException {
        TransportAction.localOnly();
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        RestActions.buildNodesHeader(builder, params, this);
        builder.field("cluster_name", getClusterName().value());
        builder.startObject("nodes");
        for (NodeStats node : getNodes()) {
            builder.startObject(node.getNode().getId());
            builder.field("name", node.getNode().getName());
            node.stats().toXContent(builder, params);
            builder.endObject();
        }
        builder.endObject();
        return builder.endObject();
    }

    /** One node's counters. */
    public static final class NodeStats extends BaseNodeResponse {
        private final MfStats.Snapshot stats;

        public NodeStats(DiscoveryNode node, MfStats.Snapshot stats) {
            super(node);
            this.stats = stats;
        }

        public NodeStats(StreamInput in, DiscoveryNode node) throws IOException {
            super(in, node);
            this.stats = MfStats.Snapshot.readFrom(in);
        }

        public MfStats.Snapshot stats() {
            return stats;
        }

        @Override
        public void writeTo(StreamOutput out) throws IOException {
            super.writeTo(out);
            stats.writeTo(out);
        }
    }
}
