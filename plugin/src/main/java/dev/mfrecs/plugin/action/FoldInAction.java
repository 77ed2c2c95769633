package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionType;

/** Computes a user's vector for a model: the stored one, or a fold-in of a history. */
public final class FoldInAction {

    public static final String NAME = "cluster:monitor/mf/fold_in";
    public static final ActionType<FoldInResponse> INSTANCE = new ActionType<>(NAME);

    private FoldInAction() {}
}
