package dev.mfrecs.plugin.action;

import dev.mfrecs.plugin.item.NewItemFoldIn;

import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;

/**
 * Each item's vector as the model would give it now (null when no stored user interacted with it), with how many stored users it
 * was solved from and how many of its users the model does not store.
 */
public final class ItemFoldInResponse extends ActionResponse implements ToXContentObject {

    private final String model;
    private final int version;
    private final List<NewItemFoldIn.Solved> items;

    public ItemFoldInResponse(String model, int version, List<NewItemFoldIn.Solved> items) {
        this.model = model;
        this.version = version;
        this.items = items;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(model);
        out.writeVInt(version);
        out.writeCollection(items, (o, s) -> {
            o.writeString(s.item());
            o.writeOptionalFloatArray(s.vector());
            o.writeVInt(s.users());
            o.writeVInt(s.ignoredUsers());
        });
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("model", model);
        builder.field("version", version);
        builder.startArray("items");
        for (NewItemFoldIn.Solved s : items) {
            builder.startObject().field("item", s.item()).field("users", s.users()).field("ignored_users", s.ignoredUsers());
            if (s.vector() != null) {
                builder.field("source", "events").array("vector", s.vector());
            } else {
                builder.nullField("vector");
            }
            builder.endObject();
        }
        builder.endArray();
        return builder.endObject();
    }

    public List<NewItemFoldIn.Solved> items() {
        return items;
    }
}
