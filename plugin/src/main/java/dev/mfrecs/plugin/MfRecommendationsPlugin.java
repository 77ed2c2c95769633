package dev.mfrecs.plugin;

import dev.mfrecs.factorization.ImplicitAls;
import dev.mfrecs.plugin.action.ExplainAction;
import dev.mfrecs.plugin.action.FoldInAction;
import dev.mfrecs.plugin.action.GetModelAction;
import dev.mfrecs.plugin.action.ItemFoldInAction;
import dev.mfrecs.plugin.action.TransportExplainAction;
import dev.mfrecs.plugin.action.TransportFoldInAction;
import dev.mfrecs.plugin.action.TransportGetModelAction;
import dev.mfrecs.plugin.action.DeleteModelAction;
import dev.mfrecs.plugin.action.DeleteModelVersionAction;
import dev.mfrecs.plugin.action.ListModelsAction;
import dev.mfrecs.plugin.action.MfStatsAction;
import dev.mfrecs.plugin.action.RollbackModelAction;
import dev.mfrecs.plugin.action.TransportDeleteModelAction;
import dev.mfrecs.plugin.action.TransportDeleteModelVersionAction;
import dev.mfrecs.plugin.action.TransportListModelsAction;
import dev.mfrecs.plugin.action.TransportMfStatsAction;
import dev.mfrecs.plugin.action.TransportRollbackModelAction;
import dev.mfrecs.plugin.action.TransportUnpinModelAction;
import dev.mfrecs.plugin.action.UnpinModelAction;
import dev.mfrecs.plugin.action.TransportItemFoldInAction;
import dev.mfrecs.plugin.query.BecauseFetchSubPhase;
import dev.mfrecs.plugin.query.BecauseQueryBuilder;
import dev.mfrecs.plugin.query.BoostedCandidatesQueryBuilder;
import dev.mfrecs.plugin.query.KnnExcludingQueryBuilder;
import dev.mfrecs.plugin.query.MfRecommendQueryBuilder;
import dev.mfrecs.plugin.query.MfSimilarQueryBuilder;
import dev.mfrecs.plugin.query.MfUserQueryVectorBuilder;
import dev.mfrecs.plugin.query.RankedIdsQueryBuilder;
import dev.mfrecs.plugin.rescore.MfPersonalizeRescorerBuilder;
import dev.mfrecs.plugin.rescore.MfPersonalizeRetrieverBuilder;
import dev.mfrecs.plugin.rescore.PersonalizeExplainSubPhase;
import dev.mfrecs.plugin.rest.RestExplainAction;
import dev.mfrecs.plugin.rest.RestFoldInAction;
import dev.mfrecs.plugin.rest.RestGetModelAction;
import dev.mfrecs.plugin.rest.RestDeleteModelAction;
import dev.mfrecs.plugin.rest.RestDeleteModelVersionAction;
import dev.mfrecs.plugin.rest.RestListModelsAction;
import dev.mfrecs.plugin.rest.RestMfStatsAction;
import dev.mfrecs.plugin.rest.RestRollbackModelAction;
import dev.mfrecs.plugin.rest.RestUnpinModelAction;
import dev.mfrecs.plugin.rest.RestItemFoldInAction;

import org.apache.lucene.util.SetOnce;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.common.breaker.CircuitBreaker;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Setting;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.common.util.concurrent.EsExecutors;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.query.QueryBuilder;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.SearchPlugin;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;
import org.elasticsearch.search.fetch.FetchSubPhase;
import org.elasticsearch.threadpool.ExecutorBuilder;
import org.elasticsearch.logging.LogManager;
import org.elasticsearch.threadpool.FixedExecutorBuilder;

import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Registers what the plugin adds to a node: the {@code mf_recommend} and {@code mf_similar} queries, the {@code mf_user}
 * query-vector builder for the {@code knn} section, the {@code mf_personalize} rescorer and retriever and their fetch sub-phases,
 * the internal wire form those queries rewrite to, the {@code _mf} REST APIs (fold-in, explain, model listing and management,
 * node stats),
 * the settings, and the {@value MfServices#FOLD_IN_POOL} thread pool. Its one piece of state is this node's {@link MfServices},
 * created in {@link #createComponents} and handed to parsers, readers and actions. Nothing else happens here.
 */
public final class MfRecommendationsPlugin extends Plugin implements ActionPlugin, SearchPlugin {

    private final SetOnce<MfServices> services = new SetOnce<>();

    public MfRecommendationsPlugin() {}

    /** A plugin whose components already exist: for unit tests that parse queries without starting a node. */
    public static MfRecommendationsPlugin withServices(MfServices services) {
        MfRecommendationsPlugin plugin = new MfRecommendationsPlugin();
        plugin.services.set(services);
        return plugin;
    }

    /** This node's components; parsing happens only after they were created. */
    MfServices services() {
        MfServices s = services.get();
        if (s == null) {
            throw new IllegalStateException("the mf-recommendations plugin's components are not created yet on this node");
        }
        return s;
    }

    @Override
    public List<Setting<?>> getSettings() {
        return MfSettings.ALL;
    }

    @Override
    public List<ExecutorBuilder<?>> getExecutorBuilders(Settings settings) {
        int processors = EsExecutors.allocatedProcessors(settings);
        return List.of(new FixedExecutorBuilder(settings, MfServices.FOLD_IN_POOL, processors, 1000,
            "thread_pool." + MfServices.FOLD_IN_POOL, EsExecutors.TaskTrackingConfig.DO_NOT_TRACK));
    }

    @Override
    public Collection<?> createComponents(PluginServices node) {
        MfServices created = new MfServices(MfSettings.bound(node.clusterService().getClusterSettings()),
            node.threadPool().executor(MfServices.FOLD_IN_POOL), node.indicesService().getCircuitBreakerService()
                .getBreaker(CircuitBreaker.REQUEST));
        services.set(created);
        // Which dense kernels fold-in and explain solve with on this node: SIMD needs jdk.incubator.vector in the boot layer.
        LogManager.getLogger(MfRecommendationsPlugin.class).info("fold-in kernels: {}", ImplicitAls.kernels());
        return List.of(created);
    }

    @Override
    public List<QuerySpec<?>> getQueries() {
        return List.of(
            new QuerySpec<>(MfRecommendQueryBuilder.NAME, in -> new MfRecommendQueryBuilder(in, services()),
                p -> MfRecommendQueryBuilder.fromXContent(p, services())),
            new QuerySpec<>(MfSimilarQueryBuilder.NAME, in -> new MfSimilarQueryBuilder(in, services()),
                p -> MfSimilarQueryBuilder.fromXContent(p, services()))
        );
    }

    /** The shard-level form the mf queries rewrite to; sent between nodes, never written by users. */
    @Override
    public List<NamedWriteableRegistry.Entry> getNamedWriteables() {
        return List.of(
            new NamedWriteableRegistry.Entry(QueryBuilder.class, KnnExcludingQueryBuilder.NAME, KnnExcludingQueryBuilder::new),
            new NamedWriteableRegistry.Entry(QueryBuilder.class, RankedIdsQueryBuilder.NAME, RankedIdsQueryBuilder::new),
            new NamedWriteableRegistry.Entry(QueryBuilder.class, BoostedCandidatesQueryBuilder.NAME, BoostedCandidatesQueryBuilder::new),
            new NamedWriteableRegistry.Entry(QueryBuilder.class, BecauseQueryBuilder.NAME, BecauseQueryBuilder::new)
        );
    }

    @Override
    public List<RescorerSpec<?>> getRescorers() {
        return List.of(new RescorerSpec<>(MfPersonalizeRescorerBuilder.NAME, in -> new MfPersonalizeRescorerBuilder(in, services()),
            p -> MfPersonalizeRescorerBuilder.fromXContent(p, services())));
    }

    @Override
    public List<RetrieverSpec<?>> getRetrievers() {
        return List.of(new RetrieverSpec<>(MfPersonalizeRetrieverBuilder.NAME, (p, c) -> MfPersonalizeRetrieverBuilder.fromXContent(p, c,
            services())));
    }

    @Override
    public List<FetchSubPhase> getFetchSubPhases(FetchPhaseConstructionContext context) {
        return List.of(new PersonalizeExplainSubPhase(), new BecauseFetchSubPhase());
    }

    @Override
    public List<QueryVectorBuilderSpec<?>> getQueryVectorBuilders() {
        return List.of(new QueryVectorBuilderSpec<>(MfUserQueryVectorBuilder.NAME, in -> new MfUserQueryVectorBuilder(in, services()),
            (p, c) -> MfUserQueryVectorBuilder.fromXContent(p, services())));
    }

    @Override
    public Collection<ActionHandler> getActions() {
        return List.of(
            new ActionHandler(FoldInAction.INSTANCE, TransportFoldInAction.class),
            new ActionHandler(ExplainAction.INSTANCE, TransportExplainAction.class),
            new ActionHandler(GetModelAction.INSTANCE, TransportGetModelAction.class),
            new ActionHandler(ItemFoldInAction.INSTANCE, TransportItemFoldInAction.class),
            new ActionHandler(ListModelsAction.INSTANCE, TransportListModelsAction.class),
            new ActionHandler(RollbackModelAction.INSTANCE, TransportRollbackModelAction.class),
            new ActionHandler(UnpinModelAction.INSTANCE, TransportUnpinModelAction.class),
            new ActionHandler(DeleteModelVersionAction.INSTANCE, TransportDeleteModelVersionAction.class),
            new ActionHandler(DeleteModelAction.INSTANCE, TransportDeleteModelAction.class),
            new ActionHandler(MfStatsAction.INSTANCE, TransportMfStatsAction.class)
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
        Supplier<MfServices> s = this::services;
        return List.of(new RestFoldInAction(s), new RestExplainAction(s), new RestGetModelAction(), new RestItemFoldInAction(),
            new RestListModelsAction(), new RestRollbackModelAction(), new RestUnpinModelAction(), new RestDeleteModelVersionAction(),
            new RestDeleteModelAction(), new RestMfStatsAction());
    }
}
