package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionType;

/** Why an item is recommended to a user: the contribution of each history item to its score (Hu et al. 2008, 5). */
public final class ExplainAction {

    public static final String NAME = "cluster:monitor/mf/explain";
    public static final String API = "mf_explain";
    public static final ActionType<ExplainResponse> INSTANCE = new ActionType<>(NAME);

    private ExplainAction() {}
}
