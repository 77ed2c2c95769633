package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionType;

/** Computes the vectors items the model was not trained on would get from the stored users who interacted with them. */
public final class ItemFoldInAction {

    public static final String NAME = "cluster:monitor/mf/items/fold_in";
    public static final String API = "mf_items_fold_in";
    public static final ActionType<ItemFoldInResponse> INSTANCE = new ActionType<>(NAME);
    /** The most items one request folds in. */
    public static final int MAX_ITEMS = 100;

    private ItemFoldInAction() {}
}
