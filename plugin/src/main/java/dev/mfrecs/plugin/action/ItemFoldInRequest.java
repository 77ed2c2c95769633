package dev.mfrecs.plugin.action;

import dev.mfrecs.contract.ModelIndices;

import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.action.ValidateActions;
import org.elasticsearch.common.io.stream.StreamInput;
import org.elasticsearch.common.io.stream.StreamOutput;
import org.elasticsearch.tasks.CancellableTask;
import org.elasticsearch.tasks.Task;
import org.elasticsearch.tasks.TaskId;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Which model and which items ({@code item} or {@code items}) to fold in. */
public final class ItemFoldInRequest extends ActionRequest {

    private final String model;
    private final List<String> items;

    public ItemFoldInRequest(String model, List<String> items) {
        this.model = model;
        this.items = items == null ? List.of() : List.copyOf(items);
    }

    public ItemFoldInRequest(StreamInput in) throws IOException {
        super(in);
        this.model = in.readOptionalString();
        this.items = in.readStringCollectionAsImmutableList();
    }

    @Override
    public void writeTo(StreamOutput out) throws IOException {
        super.writeTo(out);
        out.writeOptionalString(model);
        out.writeStringCollection(items);
    }

    @Override
    public ActionRequestValidationException validate() {
        ActionRequestValidationException e = null;
        String invalid = ModelIndices.validateModelName(model);
        if (invalid != null) {
            e = ValidateActions.addValidationError("[" + ItemFoldInAction.API + "] " + invalid, e);
        }
        if (items.isEmpty()) {
            e = ValidateActions.addValidationError("[" + ItemFoldInAction.API + "] requires [item] or [items]", e);
        } else if (items.size() > ItemFoldInAction.MAX_ITEMS) {
            e = ValidateActions.addValidationError("[" + ItemFoldInAction.API + "] [items] has [" + items.size() + "] items, more than ["
                + ItemFoldInAction.MAX_ITEMS + "]", e);
        }
        for (String item : items) {
            if (item == null || item.isEmpty()) {
                e = ValidateActions.addValidationError("[" + ItemFoldInAction.API + "] item ids must not be empty", e);
                break;
            }
        }
        return e;
    }

    public String model() {
        return model;
    }

    public List<String> items() {
        return items;
    }

    @Override
    public Task createTask(long id, String type, String action, TaskId parentTaskId, Map<String, String> headers) {
        return new CancellableTask(id, type, action, "model[" + model + "] items" + items.size(), parentTaskId, headers);
    }
}
