package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionType;

/** Makes an older version of a model live and pins it, under the model's lock. */
public final class RollbackModelAction {

    public static final String NAME = "cluster:admin/mf/model/rollback";
    public static final String API = "mf_rollback_model";
    public static final ActionType<ModelAdminResponse> INSTANCE = new ActionType<>(NAME);

    private RollbackModelAction() {}
}
