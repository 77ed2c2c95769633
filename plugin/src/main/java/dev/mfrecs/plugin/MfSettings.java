package dev.mfrecs.plugin;

import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.Setting;

/**
 * The plugin's settings. {@code mf.fold_in.max_history} bounds the history a fold-in uses (inline, or the newest
 * events read from the interactions index): fold-in costs O(h d^2), so this bounds query-time work. It is dynamic;
 * query parsers read the current value here because they have no other route to cluster settings.
 */
public final class MfSettings {

    public static final Setting<Integer> MAX_HISTORY = Setting.intSetting(
        "mf.fold_in.max_history",
        1000,
        1,
        100_000,
        Setting.Property.NodeScope,
        Setting.Property.Dynamic
    );

    private static volatile int maxHistory = MAX_HISTORY.getDefault(org.elasticsearch.common.settings.Settings.EMPTY);

    private MfSettings() {}

    public static int maxHistory() {
        return maxHistory;
    }

    static void bind(ClusterSettings settings) {
        maxHistory = settings.get(MAX_HISTORY);
        settings.addSettingsUpdateConsumer(MAX_HISTORY, v -> maxHistory = v);
    }
}
