package dev.mfrecs.plugin;

import dev.mfrecs.plugin.action.ExplainAction;
import dev.mfrecs.plugin.action.FoldInAction;
import dev.mfrecs.plugin.action.GetModelAction;
import dev.mfrecs.plugin.action.TransportExplainAction;
import dev.mfrecs.plugin.action.TransportFoldInAction;
import dev.mfrecs.plugin.action.TransportGetModelAction;
import dev.mfrecs.plugin.query.KnnExcludingQueryBuilder;
import dev.mfrecs.plugin.query.MfRecommendQueryBuilder;
import dev.mfrecs.plugin.query.MfSimilarQueryBuilder;
import dev.mfrecs.plugin.query.MfUserQueryVectorBuilder;
import dev.mfrecs.plugin.rest.RestFoldInAction;
import dev.mfrecs.plugin.rest.RestGetModelAction;

import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.SearchPlugin;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Registers what the plugin adds to a node: the {@code mf_recommend} and {@code mf_similar} queries, the
 * {@code mf_user} query-vector builder for the {@code knn} section, the
 * internal wire form those queries rewrite to, and the {@code _mf} REST APIs. Nothing else
 * happens here.
 */
public final class MfRecommendationsPlugin extends Plugin implements ActionPlugin, SearchPlugin {

    @Override
    public List<Setting<?>> getSettings() {
        return List.of(MfSettings.MAX_HISTORY);
    }

    @Override
    public Collection<?> createComponents(PluginServices services) {
        MfSettings.bind(services.clusterService().getClusterSettings());
        return List.of();
    }

    @Override
    public List<QuerySpec<?>> getQueries() {
        return List.of(
            new QuerySpec<>(MfRecommendQueryBuilder.NAME, MfRecommendQueryBuilder::new, MfRecommendQueryBuilder::fromXContent),
            new QuerySpec<>(MfSimilarQueryBuilder.NAME, MfSimilarQueryBuilder::new, MfSimilarQueryBuilder::fromXContent)
        );
    }

    /** The shard-level form the mf queries rewrite to; sent between nodes, never written by users. */
    @Override
    public List<NamedWriteableRegistry.Entry> getNamedWriteables() {
        return List.of(new NamedWriteableRegistry.Entry(QueryBuilder.class, KnnExcludingQueryBuilder.NAME, KnnExcludingQueryBuilder::new));
    }

    @Override
    public List<QueryVectorBuilderSpec<?>> getQueryVectorBuilders() {
        return List.of(
            new QueryVectorBuilderSpec<>(MfUserQueryVectorBuilder.NAME, MfUserQueryVectorBuilder::new, MfUserQueryVectorBuilder::fromXContent)
        );
    }

    @Override
    public Collection<ActionHandler> getActions() {
        return List.of(
            new ActionHandler(FoldInAction.INSTANCE, TransportFoldInAction.class),
            new ActionHandler(ExplainAction.INSTANCE, TransportExplainAction.class),
            new ActionHandler(GetModelAction.INSTANCE, TransportGetModelAction.class)
        );
    }

    @Override
    public Collection<RestHandler> getRestHandlers(
        Settings settings,
        NamedWriteableRegistry namedWriteableRegistry,
        RestController restController,
        ClusterSettings clusterSettings,
        IndexScopedSettings indexScopedSettings,
        SettingsFilter settingsFilter,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(RestFoldInAction.foldIn(), RestFoldInAction.explain(), new RestGetModelAction());
    }
}
