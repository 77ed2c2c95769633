package dev.mfrecs.plugin.query;

import dev.mfrecs.mappings.ModelIndices;
import dev.mfrecs.plugin.model.UserSpec;
import dev.mfrecs.plugin.model.UserVectorResolver;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.TransportVersion;
import org.elasticsearch.TransportVersions;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.ParsingException;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.search.vectors.QueryVectorBuilder;
import org.elasticsearch.xcontent.ObjectParser;
import org.elasticsearch.xcontent.XContentBuilder;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * {@code mf_user}: a {@code query_vector_builder} for Elasticsearch's own {@code knn} search, so a personalized query
 * is written as {@code "knn": {"field": "vector", "query_vector_builder": {"mf_user": {"model": "retail", "user":
 * "17850"}}}} with every knn option (filter, k, num_candidates, similarity, rescoring) the caller already knows. The
 * vector is the trained user's, or folded in from an inline history or from the user's interactions.
 * <p>
 * Unlike {@code mf_recommend} it does not exclude seen items: the caller owns the knn filter.
 */
public final class MfUserQueryVectorBuilder implements QueryVectorBuilder {

    public static final String NAME = "mf_user";

    private static final ObjectParser<MfRequestFields, Void> PARSER = new ObjectParser<>(NAME, MfRequestFields::new);

    static {
        MfRequestFields.declareModelAndUser(PARSER, NAME);
    }

    private final String model;
    private final UserSpec userSpec;

    public MfUserQueryVectorBuilder(String model, UserSpec userSpec) {
        MfRequestFields.requireModel(NAME, model);
        String userError = userSpec.validate(NAME);
        if (userError != null) {
            throw new IllegalArgumentException(userError);
        }
        this.model = model;
        this.userSpec = userSpec;
    }

    public MfUserQueryVectorBuilder(StreamInput in) throws IOException {
        this(in.readString(), new UserSpec(in));
    }

    public static MfUserQueryVectorBuilder fromXContent(XContentParser parser, Void context) {
        MfRequestFields f;
        try {
            f = PARSER.parse(parser, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new MfUserQueryVectorBuilder(f.model, new UserSpec(f.user, f.history));
        } catch (IllegalArgumentException e) {
            throw new ParsingException(parser.getTokenLocation(), e.getMessage(), e);
        }
    }

    @Override
    public void buildVector(Client client, ActionListener<float[]> listener) {
        UserVectorResolver.resolveModelAndUser(client, model, userSpec, listener.delegateFailureAndWrap((l, resolved) -> {
            if (resolved.user().empty()) {
                l.onFailure(new ResourceNotFoundException("[{}] no usable history in model [{}] (ignored items {})", NAME, model,
                    resolved.user().ignoredItems()));
            } else {
                l.onResponse(resolved.user().vector());
            }
        }));
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field(MfRequestFields.MODEL.getPreferredName(), model);
        if (userSpec.user() != null) {
            builder.field(MfRequestFields.USER.getPreferredName(), userSpec.user());
        } else {
            builder.xContentList(MfRequestFields.HISTORY.getPreferredName(), userSpec.history());
        }
        return builder.endObject();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        out.writeString(model);
        userSpec.writeTo(out);
    }

    @Override
    public String getWriteableName() {
        return NAME;
    }

    @Override
    public TransportVersion getMinimalSupportedVersion() {
        return TransportVersions.V_9_0_0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MfUserQueryVectorBuilder other && model.equals(other.model) && userSpec.equals(other.userSpec);
    }

    @Override
    public int hashCode() {
        return Objects.hash(model, userSpec);
    }
}
