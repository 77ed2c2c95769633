package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.core.Nullable;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The live version, each version's metadata (without the Gram matrix, newest first), the rollback pin, the lock and the newest
 * training run record; the last three are {@code null} when there is none.
 */
public final class GetModelResponse extends ActionResponse implements ToXContentObject {

    private final String model;
    private final int liveVersion;
    private final List<Map<String, Object>> versions;
    private final Map<String, Object> pinned;
    private final Map<String, Object> lock;
    private final Map<String, Object> lastRun;

    public GetModelResponse(String model, int liveVersion, List<Map<String, Object>> versions, @Nullable Map<String, Object> pinned,
                            @Nullable Map<String, Object> lock, @Nullable Map<String, Object> lastRun) {
        this.model = model;
        this.liveVersion = liveVersion;
        this.versions = versions;
        this.pinned = pinned;
        this.lock = lock;
        this.lastRun = lastRun;
    }

    public int liveVersion() {
        return liveVersion;
    }

    public List<Map<String, Object>> versions() {
        return versions;
    }

    @Nullable
    public Map<String, Object> pinned() {
        return pinned;
    }

    @Nullable
    public Map<String, Object> lock() {
        return lock;
    }

    @Nullable
    public Map<String, Object> lastRun() {
        return lastRun;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(model);
        out.writeVInt(liveVersion);
        out.writeCollection(versions, StreamOutput::writeGenericMap);
        out.writeGenericValue(pinned);
        out.writeGenericValue(lock);
        out.writeGenericValue(lastRun);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("model", model);
        builder.field("live_version", liveVersion);
        builder.field("pinned", pinned);
        builder.field("lock", lock);
        builder.field("last_run", lastRun);
        builder.startArray("versions");
        for (Map<String, Object> v : versions) {
            builder.map(v);
        }
        builder.endArray();
        return builder.endObject();
    }
}
