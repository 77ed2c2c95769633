package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionType;

/** Lifts a rollback's pin, so scheduled trainer runs publish again. */
public final class UnpinModelAction {

    public static final String NAME = "cluster:admin/mf/model/unpin";
    public static final String API = "mf_unpin_model";
    public static final ActionType<ModelAdminResponse> INSTANCE = new ActionType<>(NAME);

    private UnpinModelAction() {}
}
