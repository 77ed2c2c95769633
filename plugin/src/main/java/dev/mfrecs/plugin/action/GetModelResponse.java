package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The live version and each version's metadata (without the Gram matrix), newest first. */
public final class GetModelResponse extends ActionResponse implements ToXContentObject {

    private final String model;
    private final int liveVersion;
    private final List<Map<String, Object>> versions;

    public GetModelResponse(String model, int liveVersion, List<Map<String, Object>> versions) {
        this.model = model;
        this.liveVersion = liveVersion;
        this.versions = versions;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(model);
        out.writeVInt(liveVersion);
        out.writeCollection(versions, StreamOutput::writeGenericMap);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("model", model);
        builder.field("live_version", liveVersion);
        builder.startArray("versions");
        for (Map<String, Object> v : versions) {
            builder.map(v);
        }
        builder.endArray();
        return builder.endObject();
    }
}
