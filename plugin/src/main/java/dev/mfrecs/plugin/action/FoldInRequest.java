package dev.mfrecs.plugin.action;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.plugin.user.UserSpec;

import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ValidateActions;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;

import org.elasticsearch.tasks.CancellableTask;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.tasks.TaskId;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;

/**
 * A fold-in request: the model and who the vector is for. Also carries an optional item for explanations, so the
 * explain API reuses the same request shape and validation.
 */
public final class FoldInRequest extends ActionRequest {

    /** The API name of the fold-in endpoint, for messages. */
    public static final String FOLD_IN_API = "mf_fold_in";

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
        // The history's length is bounded while parsing and against the node's setting in the transport action.
        String userError = userSpec.validate(api, Integer.MAX_VALUE);
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

    public String api() {
        return api;
    }

    @Override
    public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
        return new CancellableTask(id, type, action, "model[" + model + "] user[" + userSpec.describe() + "]", parentTaskId, headers);
    }
}
