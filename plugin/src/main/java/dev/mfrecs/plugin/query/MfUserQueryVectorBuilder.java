package dev.mfrecs.plugin.query;

import dev.mfrecs.plugin.MfServices;
import dev.mfrecs.plugin.stats.MfStats;
import dev.mfrecs.plugin.user.UserResolver;
import dev.mfrecs.plugin.user.UserSpec;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.TransportVersion;
import dev.mfrecs.plugin.compat.EsVersionCompat;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.client.internal.Client;
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

    private static final ObjectParser<MfRequestFields, MfServices> PARSER = new ObjectParser<>(NAME, MfRequestFields::new);

    static {
        MfRequestFields.declareModelAndUser(PARSER, NAME);
    }

    /** The node's components (not part of the builder's value: excluded from equality and the wire). */
    private final MfServices services;
    private final String model;
    private final UserSpec userSpec;

    public MfUserQueryVectorBuilder(MfServices services, String model, UserSpec userSpec) {
        this.services = Objects.requireNonNull(services);
        MfRequestFields.requireModel(NAME, model);
        String userError = userSpec.validate(NAME, services.settings().maxHistory());
        if (userError != null) {
            throw new IllegalArgumentException(userError);
        }
        this.model = model;
        this.userSpec = userSpec;
    }

    public MfUserQueryVectorBuilder(StreamInput in, MfServices services) throws IOException {
        this(services, in.readString(), new UserSpec(in));
    }

    public static MfUserQueryVectorBuilder fromXContent(XContentParser parser, MfServices services) {
        try {
            return MfRequestFields.parse(PARSER, parser, services, f -> new MfUserQueryVectorBuilder(services, f.model, f.userSpec(NAME)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void buildVector(Client client, ActionListener<float[]> listener) {
        new UserResolver(services).resolveModelAndUser(client, model, userSpec, null, userSpec.freshness(false, false), services.stats()
            .track(MfStats.Api.MF_USER, listener).delegateFailureAndWrap((l, resolved) -> {
            services.stats().user(MfStats.UserOutcome.of(resolved.user().source(), resolved.user().empty()));
            if (resolved.user().empty()) {
                l.onFailure(new ResourceNotFoundException("[{}] no usable history for [{}] in model [{}] (ignored items {})", NAME,
                    userSpec.describe(), model, resolved.user().ignoredItems()));
            } else {
                l.onResponse(resolved.user().vector());
            }
        }));
    }

    @Override
    public XContentBuilder toXContent(XContentBuilder builder, Params params) throws IOException {
        builder.startObject();
        builder.field(MfRequestFields.MODEL.getPreferredName(), model);
        MfRequestFields.userToXContent(builder, userSpec);
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
        return EsVersionCompat.V_9_0_0;
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
