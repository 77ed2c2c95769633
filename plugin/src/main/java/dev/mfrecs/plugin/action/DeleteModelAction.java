package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionType;

/** Deletes a model: every version's indices and metadata, and its pin, under the model's lock. */
public final class DeleteModelAction {

    public static final String NAME = "cluster:admin/mf/model/delete";
    public static final String API = "mf_delete_model";
    public static final ActionType<ModelAdminResponse> INSTANCE = new ActionType<>(NAME);

    private DeleteModelAction() {}
}
