package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionType;

/** Deletes one version of a model that is neither live nor pinned, under the model's lock. */
public final class DeleteModelVersionAction {

    public static final String NAME = "cluster:admin/mf/model/version/delete";
    public static final String API = "mf_delete_model_version";
    public static final ActionType<ModelAdminResponse> INSTANCE = new ActionType<>(NAME);

    private DeleteModelVersionAction() {}
}
