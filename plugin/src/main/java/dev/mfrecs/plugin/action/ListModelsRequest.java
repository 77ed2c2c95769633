package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionRequest;
import org.elasticsearch.action.ActionRequestValidationException;
import org.elasticsearch.common.io.stream.StreamInput;

import java.io.IOException;

/** {@code GET _mf/model} takes no parameters: every model the caller may read is listed. */
public final class ListModelsRequest extends ActionRequest {

    public ListModelsRequest() {}

    public ListModelsRequest(StreamInput in) throws IOException {
        super(in);
    }

    @Override
    public ActionRequestValidationException validate() {
        return null;
    }
}
