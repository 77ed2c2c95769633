package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionType;

/** Lists every published model with its live version, versions, pin, lock and last training run. */
public final class ListModelsAction {

    public static final String NAME = "cluster:monitor/mf/model/list";
    public static final String API = "mf_list_models";
    public static final ActionType<ListModelsResponse> INSTANCE = new ActionType<>(NAME);

    private ListModelsAction() {}
}
