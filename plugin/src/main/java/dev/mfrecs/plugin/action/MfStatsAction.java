package dev.mfrecs.plugin.action;

import org.elasticsearch.action.ActionType;

/** Every node's plugin counters: requests, failures and latency per API, users by how they were resolved, fallbacks, cache. */
public final class MfStatsAction {

    public static final String NAME = "cluster:monitor/mf/stats";
    public static final String API = "mf_stats";
    public static final ActionType<MfStatsResponse> INSTANCE = new ActionType<>(NAME);

    private MfStatsAction() {}
}
