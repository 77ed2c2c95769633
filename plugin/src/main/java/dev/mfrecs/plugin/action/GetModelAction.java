package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionType;

/** Describes a model: its live version and every published version's parameters, counts and metrics. */
public final class GetModelAction {

    public static final String NAME = "cluster:monitor/mf/model/get";
    public static final String API = "mf_get_model";
    public static final ActionType<GetModelResponse> INSTANCE = new ActionType<>(NAME);

    private GetModelAction() {}
}
