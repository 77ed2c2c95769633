package dev.mfrecs.spark;

import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.train.Algorithm;
import dev.mfrecs.trainer.train.EngineProvider;
import dev.mfrecs.trainer.train.TrainJob;

import java.util.Set;

/**
 * Registers {@code --engine spark-mllib} (Spark MLlib's ALS instead of our row solver, see {@link SparkImplicitTrainer}) through
 * {@link java.util.ServiceLoader}; a class of its own because the loader instantiates providers with their no-argument
 * constructor. Kept so a run can be compared with MLlib's solver on the same cluster.
 */
public final class SparkMllibEngineProvider implements EngineProvider {

    private final SparkEngineProvider delegate = new SparkEngineProvider(SparkImplicitTrainer.Backend.MLLIB);

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public TrainJob.Engine create(EsConnection connection, String master) {
        return delegate.create(connection, master);
    }

    @Override
    public Set<String> unusedParameters(Algorithm algorithm) {
        return delegate.unusedParameters(algorithm);
    }
}
