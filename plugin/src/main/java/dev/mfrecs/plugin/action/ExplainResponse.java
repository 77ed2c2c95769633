package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionResponse;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.xcontent.ToXContentObject;
import org.elasticsearch.xcontent.XContentBuilder;

import java.io.IOException;
import java.util.List;

/**
 * The predicted score of an item for a user and its decomposition into one contribution per history item, largest
 * first; the contributions plus the item's bias (explicit models; 0 for implicit ones) sum to the score, which is the dot
 * product of the published user and item vectors.
 */
public final class ExplainResponse extends ActionResponse implements ToXContentObject {

    /** One history item's share of the score. */
    public record Contribution(String item, float value, float contribution) {}

    private final String model;
    private final int version;
    private final String item;
    private final float score;
    private final float bias;
    private final List<Contribution> contributions;
    private final List<String> ignoredItems;

    public ExplainResponse(String model, int version, String item, float score, float bias, List<Contribution> contributions,
                           List<String> ignoredItems) {
        this.model = model;
        this.version = version;
        this.item = item;
        this.score = score;
        this.bias = bias;
        this.contributions = contributions;
        this.ignoredItems = ignoredItems;
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(model);
        out.writeVInt(version);
        out.writeString(item);
        out.writeFloat(score);
        out.writeFloat(bias);
        out.writeCollection(contributions, (o, c) -> {
            o.writeString(c.item());
            o.writeFloat(c.value());
            o.writeFloat(c.contribution());
        });
        out.writeStringCollection(ignoredItems);
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field("model", model);
        builder.field("version", version);
        builder.field("item", item);
        builder.field("score", score);
        builder.field("bias", bias);
        builder.startArray("contributions");
        for (Contribution c : contributions) {
            builder.startObject().field("item", c.item()).field("value", c.value()).field("contribution", c.contribution()).endObject();
        }
        builder.endArray();
        builder.stringListField("ignored_items", ignoredItems);
        return builder.endObject();
    }
}
