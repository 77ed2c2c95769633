package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;

/** A user's vector for one model version, where it came from, and the history items the model did not know. */
public final class FoldInResponse extends ActionResponse implements ToXContentObject {

    private final String model;
    private final int version;
    private final float[] vector;
    private final String source;
    private final List<String> ignoredItems;
    private final long tookMillis;

    public FoldInResponse(String model, int version, float[] vector, String source, List<String> ignoredItems, long tookMillis) {
        this.model = model;
        this.version = version;
        this.vector = vector;
        this.source = source;
        this.ignoredItems = ignoredItems;
        this.tookMillis = tookMillis;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(model);
        out.writeVInt(version);
        out.writeFloatArray(vector);
        out.writeString(source);
        out.writeStringCollection(ignoredItems);
        out.writeVLong(tookMillis);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("took", tookMillis);
        builder.field("model", model);
        builder.field("version", version);
        builder.field("source", source);
        builder.field("dims", vector.length);
        builder.array("vector", vector);
        builder.stringListField("ignored_items", ignoredItems);
        return builder.endObject();
    }

    public float[] vector() {
        return vector;
    }

    /** Where the vector came from: {@code stored}, {@code history}, {@code interactions} or {@code stored+events}. */
    public String source() {
        return source;
    }

    public List<String> ignoredItems() {
        return ignoredItems;
    }
}
