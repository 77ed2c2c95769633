package dev.mfrecs.plugin;

import dev.mfrecs.plugin.model.ModelResolver;
import dev.mfrecs.plugin.stats.MfStats;

import org.elasticsearch.common.breaker.CircuitBreaker;
import org.elasticsearch.common.breaker.NoopCircuitBreaker;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.util.concurrent.EsExecutors;

import java.util.concurrent.Executor;

/**
 * The plugin's node-scoped components, created once per node in {@code createComponents} and handed to the query parsers, the
 * query-vector builder and the transport actions: the current settings, the model metadata cache, the executor fold-in solves
 * and metadata parsing fork to (never the network thread that delivered the last read), and the request circuit breaker that
 * per-request memory (a copy of the Gram matrix, the history's vectors) is accounted to, and the counters {@code GET _mf/_stats}
 * reports. Nothing of the plugin is JVM-static, so two nodes in one test JVM never share a cache or a counter.
 */
public final class MfServices {

    /** The fixed thread pool fold-in solves and metadata parsing run on. */
    public static final String FOLD_IN_POOL = "mf_fold_in";

    private final MfSettings settings;
    private final ModelResolver models;
    private final Executor executor;
    private final CircuitBreaker breaker;
    private final MfStats stats = new MfStats();

    public MfServices(MfSettings settings, Executor executor, CircuitBreaker breaker) {
        this.settings = settings;
        this.executor = executor;
        this.breaker = breaker;
        this.models = new ModelResolver(executor, stats);
    }

    /** Default settings, work on the calling thread, no memory limit: for unit tests and tools. */
    public static MfServices direct() {
        return new MfServices(new MfSettings(Settings.EMPTY), EsExecutors.DIRECT_EXECUTOR_SERVICE,
            new NoopCircuitBreaker(CircuitBreaker.REQUEST));
    }

    public MfSettings settings() {
        return settings;
    }

    public ModelResolver models() {
        return models;
    }

    public Executor executor() {
        return executor;
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    public MfStats stats() {
        return stats;
    }
}
