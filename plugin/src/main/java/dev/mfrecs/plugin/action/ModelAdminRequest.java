package dev.mfrecs.plugin.action;

import dev.mfrecs.contract.ModelIndices;

import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ValidateActions;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.core.Nullable;

import java.io.IOException;
import java.util.Objects;

/**
 * A change to one model over REST ({@code _rollback}, {@code _unpin}, deleting a version or the whole model): the API it came from
 * (named in every error), the model, and the version where the API takes one. Shared by the four actions because they need the
 * same fields and the same checks; {@link #validate()} names the API and brackets the bad value.
 */
public final class ModelAdminRequest extends ActionRequest {

    private final String api;
    private final String model;
    @Nullable
    private final Integer version;
    private final boolean versionRequired;

    public ModelAdminRequest(String api, String model, @Nullable Integer version, boolean versionRequired) {
        this.api = Objects.requireNonNull(api);
        this.model = model;
        this.version = version;
        this.versionRequired = versionRequired;
    }

    public ModelAdminRequest(StreamInput in) throws IOException {
        super(in);
        this.api = in.readString();
        this.model = in.readString();
        this.version = in.readOptionalVInt();
        this.versionRequired = in.readBoolean();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeString(api);
        out.writeString(model);
        out.writeOptionalVInt(version);
        out.writeBoolean(versionRequired);
    }

    @Override
    public ActionRequestValidationException validate() {
        ActionRequestValidationException e = null;
        String invalid = ModelIndices.validateModelName(model);
        if (invalid != null) {
            e = ValidateActions.addValidationError("[" + api + "] " + invalid, e);
        }
        if (version == null && versionRequired) {
            e = ValidateActions.addValidationError("[" + api + "] [version] is required", e);
        }
        if (version != null && version < 1) {
            e = ValidateActions.addValidationError("[" + api + "] [version] must be >= 1, got [" + version + "]", e);
        }
        return e;
    }

    public String api() {
        return api;
    }

    public String model() {
        return model;
    }

    @Nullable
    public Integer version() {
        return version;
    }
}
