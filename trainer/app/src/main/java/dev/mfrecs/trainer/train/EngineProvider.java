package dev.mfrecs.trainer.train;

import dev.mfrecs.trainer.es.EsConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Finds training engines that live outside the trainer (such as {@code trainer/spark}) through {@link ServiceLoader}, so
 * {@code recsys train --engine NAME} can use them without the trainer depending on them at compile time: an engine is
 * available exactly when its jar is on the class path.
 */
public interface EngineProvider {

    /** The value of {@code --engine} that selects this provider. */
    String name();

    /**
     * Creates the engine for one run.
     *
     * @param connection how the engine's workers reach the cluster (they open their own clients)
     * @param master     the engine's cluster manager (for Spark, {@code local[2]}, {@code yarn}, ...), or null for its default
     */
    TrainJob.Engine create(EsConnection connection, String master);

    /**
     * The hyper-parameters (as {@code train} names them, e.g. {@code cg-steps}) this engine does not use for {@code algorithm}
     * although the local engine does; {@code train} rejects them when given, as it rejects what an algorithm does not use.
     */
    default Set<String> unusedParameters(Algorithm algorithm) {
        return Set.of();
    }

    /** The provider named {@code name}; the error names the option and the engines found. */
    static EngineProvider load(String name) {
        List<String> found = new ArrayList<>();
        for (EngineProvider p : ServiceLoader.load(EngineProvider.class)) {
            if (p.name().equals(name)) {
                return p;
            }
            found.add(p.name());
        }
        throw new IllegalArgumentException("[--engine] [" + name + "] is not available (engines on the class path: [local"
            + (found.isEmpty() ? "" : ", " + String.join(", ", found)) + "]); the spark engine needs trainer/spark on the class path");
    }
}
