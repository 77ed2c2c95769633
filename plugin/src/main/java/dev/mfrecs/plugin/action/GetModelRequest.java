package dev.mfrecs.plugin.action;

import dev.mfrecs.contract.ModelIndices;

import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ValidateActions;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;

import java.io.IOException;

/** Names the model to describe. */
public final class GetModelRequest extends ActionRequest {

    private final String model;

    public GetModelRequest(String model) {
        this.model = model;
    }

    public GetModelRequest(StreamInput in) throws IOException {
        super(in);
        this.model = in.readString();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeString(model);
    }

    @Override
    public ActionRequestValidationException validate() {
        String invalid = ModelIndices.validateModelName(model);
        return invalid == null ? null : ValidateActions.addValidationError("[" + GetModelAction.API + "] " + invalid, null);
    }

    public String model() {
        return model;
    }
}
