package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a model change over REST did: {@code acknowledged}, the model, and the change's own fields (the version now live, the
 * version that was unpinned, the versions deleted), in the order they were put.
 */
public final class ModelAdminResponse extends ActionResponse implements ToXContentObject {

    private final Map<String, Object> body;

    public ModelAdminResponse(String model, Map<String, Object> fields) {
        this.body = new LinkedHashMap<>();
        body.put("acknowledged", true);
        body.put("model", model);
        body.putAll(fields);
    }

    public ModelAdminResponse(StreamInput in) throws IOException {
        this.body = in.readGenericMap();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeGenericMap(body);
    }

    public Map<String, Object> body() {
        return body;
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        return builder.map(body);
    }
}
