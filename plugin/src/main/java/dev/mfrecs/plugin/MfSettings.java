package dev.mfrecs.plugin;

import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.common.settings.Settings;

import java.util.List;

/**
 * The plugin's cluster settings and their current values on one node. Fold-in costs O(h d^2) for a history of h items, so
 * {@code mf.fold_in.max_history} bounds query-time work: it caps an inline history (rejected while parsing, before anything is
 * read) and the distinct items of a history read from the interactions index; {@code mf.fold_in.max_events} caps the events
 * read from the interactions index for one user. Both are dynamic. One instance per node, created with the node's components,
 * so two nodes in one JVM (an internal test cluster) never share values.
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

    public static final Setting<Integer> MAX_EVENTS = Setting.intSetting(
        "mf.fold_in.max_events",
        10_000,
        1,
        100_000,
        Setting.Property.NodeScope,
        Setting.Property.Dynamic
    );

    /** Every setting the plugin registers. */
    public static final List<Setting<?>> ALL = List.of(MAX_HISTORY, MAX_EVENTS);

    private volatile int maxHistory;
    private volatile int maxEvents;

    /** Fixed values, for tests and tools without a cluster. */
    public MfSettings(Settings settings) {
        this.maxHistory = MAX_HISTORY.get(settings);
        this.maxEvents = MAX_EVENTS.get(settings);
    }

    /** The node's values, kept current as the cluster settings change. */
    public static MfSettings bound(ClusterSettings clusterSettings) {
        MfSettings s = new MfSettings(Settings.EMPTY);
        s.maxHistory = clusterSettings.get(MAX_HISTORY);
        s.maxEvents = clusterSettings.get(MAX_EVENTS);
        clusterSettings.addSettingsUpdateConsumer(MAX_HISTORY, v -> s.maxHistory = v);
        clusterSettings.addSettingsUpdateConsumer(MAX_EVENTS, v -> s.maxEvents = v);
        return s;
    }

    public int maxHistory() {
        return maxHistory;
    }

    public int maxEvents() {
        return maxEvents;
    }
}
