package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code {"models": [...]}}: one entry per model, sorted by name (see {@code ModelAdmin#listModels}). */
public final class ListModelsResponse extends ActionResponse implements ToXContentObject {

    private final List<Map<String, Object>> models;

    public ListModelsResponse(List<Map<String, Object>> models) {
        this.models = models;
    }

    public List<Map<String, Object>> models() {
        return models;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeCollection(models, StreamOutput::writeGenericMap);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.startArray("models");
        for (Map<String, Object> m : models) {
            builder.map(m);
        }
        builder.endArray();
        return builder.endObject();
    }
}
