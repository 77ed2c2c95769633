package dev.mfrecs.plugin.compat;

import org.elasticsearch.TransportVersion;
import org.elasticsearch.search.vectors.KnnVectorQueryBuilder;
import org.elasticsearch.search.vectors.RescoreVectorBuilder;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The few Elasticsearch APIs that differ between the 9.x releases the plugin is built for (-Des.version: 9.1.0, 9.1.5,
 * 9.2.0), behind one signature, so the same sources compile against each server jar. Nothing else belongs here.
 */
public final class EsVersionCompat {

    /**
     * The transport version of Elasticsearch 9.0.0, the oldest a node may be for the plugin's queries to be sent to it.
     * 9.1.0 names it {@code TransportVersions.V_9_0_0}; from 9.1.5 on transport versions are resource definitions and
     * that constant is gone, while {@link TransportVersion#fromId} (and this id, a known version) exists in all of them.
     */
    public static final TransportVersion V_9_0_0 = TransportVersion.fromId(9_000_0_09);

    /** (field, vector, k, numCandidates, rescore, similarity) -> KnnVectorQueryBuilder, whichever constructor this server has. */
    private static final MethodHandle KNN_FLOAT_VECTOR = knnConstructor();

    private EsVersionCompat() {}

    /**
     * {@code new KnnVectorQueryBuilder(field, vector, k, numCandidates, rescore, similarity)}: the 9.1 constructor, or on
     * 9.2 and later the one with {@code visitPercentage} (added in 9.2) between numCandidates and rescore, given null
     * (the server's default).
     */
    public static KnnVectorQueryBuilder knnQuery(String field, float[] vector, Integer k, Integer numCandidates,
                                                 RescoreVectorBuilder rescore, Float similarity) {
        try {
            return (KnnVectorQueryBuilder) KNN_FLOAT_VECTOR.invokeExact(field, vector, k, numCandidates, rescore, similarity);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static MethodHandle knnConstructor() {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        try {
            MethodHandle withVisitPercentage = lookup.findConstructor(KnnVectorQueryBuilder.class, MethodType.methodType(void.class,
                String.class, float[].class, Integer.class, Integer.class, Float.class, RescoreVectorBuilder.class, Float.class));
            return MethodHandles.insertArguments(withVisitPercentage, 4, (Object) null);
        } catch (NoSuchMethodException e) {
            try {
                return lookup.findConstructor(KnnVectorQueryBuilder.class, MethodType.methodType(void.class,
                    String.class, float[].class, Integer.class, Integer.class, RescoreVectorBuilder.class, Float.class));
            } catch (NoSuchMethodException | IllegalAccessException e2) {
                e2.addSuppressed(e);
                throw new IllegalStateException("no known KnnVectorQueryBuilder(String, float[], ...) constructor in this "
                    + "Elasticsearch version", e2);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
