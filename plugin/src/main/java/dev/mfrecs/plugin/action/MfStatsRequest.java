package dev.mfrecs.plugin.action;

import org.elasticsearch.action.support.nodes.BaseNodesRequest;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.transport.AbstractTransportRequest;

import java.io.IOException;

/** Which nodes to ask for their counters ({@code _all} by default, or node ids and names as Elasticsearch resolves them). */
public final class MfStatsRequest extends BaseNodesRequest {

    public MfStatsRequest(String... nodeIds) {
        super(nodeIds);
    }

    /** What the coordinating node sends each node: nothing but the question. */
    public static final class NodeRequest extends AbstractTransportRequest {
        public NodeRequest() {}

        public NodeRequest(StreamInput in) throws IOException {
            super(in);
        }
    }
}
