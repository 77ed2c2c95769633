package dev.mfrecs.plugin.action;

import dev.mfrecs.mappings.ModelIndices;
import dev.mfrecs.plugin.model.UserSpec;

import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ValidateActions;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;

import java.io.IOException;
import java.util.Objects;

/**
 * A fold-in request: the model and who the vector is for. Also carries an optional item for explanations, so the
 * explain API reuses the same request shape and validation.
 */
public final class FoldInRequest extends ActionRequest {

    private final String api;
    private final String model;
    private final UserSpec userSpec;
    private final String item;

    public FoldInRequest(String api, String model, UserSpec userSpec, String item) {
        this.api = Objects.requireNonNull(api);
        this.model = model;
        this.userSpec = userSpec;
        this.item = item;
    }

    public FoldInRequest(StreamInput in) throws IOException {
        super(in);
        this.api = in.readString();
        this.model = in.readOptionalString();
        this.userSpec = new UserSpec(in);
        this.item = in.readOptionalString();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeString(api);
        out.writeOptionalString(model);
        userSpec.writeTo(out);
        out.writeOptionalString(item);
    }

    @Override
    public ActionRequestValidationException validate() {
        ActionRequestValidationException e = null;
        String invalid = ModelIndices.validateModelName(model);
        if (invalid != null) {
            e = ValidateActions.addValidationError("[" + api + "] " + invalid, e);
        }
        String userError = userSpec.validate(api);
        if (userError != null) {
            e = ValidateActions.addValidationError(userError, e);
        }
        if (ExplainAction.API.equals(api) && (item == null || item.isEmpty())) {
            e = ValidateActions.addValidationError("[" + api + "] requires [item]", e);
        }
        return e;
    }

    public String model() {
        return model;
    }

    public UserSpec userSpec() {
        return userSpec;
    }

    public String item() {
        return item;
    }
}
