package dev.mfrecs.trainer.train;

import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.FactorModel;
import dev.mfrecs.factorization.Gram;
import dev.mfrecs.factorization.ImplicitAls;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelArtifacts;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains implicit ALS on an interaction matrix and packages what a model version publishes: the factors, the item Gram
 * matrix Y^T Y the plugin's fold-in solves against, item popularity, and every parameter and timing in the metadata.
 */
public final class ImplicitTrainer {

    private ImplicitTrainer() {}

    public static ModelArtifacts train(String model, InteractionMatrix data, ImplicitAlsParams params, Map<String, Object> extraMetadata,
                                       ProgressLog log) {
        CsrMatrix m = data.userItems();
        log.step("training implicit ALS: " + m.rows() + " users x " + m.cols() + " items, " + m.nnz() + " pairs, d=" + params.factors()
            + ", " + params.iterations() + " iterations, solver " + params.solver() + ", " + params.threads() + " threads, "
            + ImplicitAls.kernels() + " kernels");
        long start = System.nanoTime();
        FactorModel f = ImplicitAls.train(m, params, (it, total, seconds) -> log.step(String.format(java.util.Locale.ROOT,
            "iteration %d/%d (%.2fs)", it, total, seconds)));
        // A last exact user half-sweep against the final item factors: stored user vectors then equal what the plugin's
        // query-time fold-in computes from the same history, so stored and folded-in users rank alike.
        ImplicitAls.halfSweep(m, f.itemFactors(), f.items(), f.userFactors(), params.withSolver(Solver.CHOLESKY));
        double seconds = (System.nanoTime() - start) / 1e9;
        float[] gram = Gram.compute(f.itemFactors(), f.items(), f.factors());
        float[] popularity = TrainingRecord.popularity(m);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("algorithm", "ials");
        meta.put("factors", params.factors());
        meta.put("regularization", params.regularization());
        Map<String, Object> confidence = new LinkedHashMap<>();
        confidence.put("kind", params.confidence().kind().name().toLowerCase(java.util.Locale.ROOT));
        confidence.put("alpha", params.confidence().alpha());
        confidence.put("epsilon", params.confidence().epsilon());
        meta.put("confidence", confidence);
        if (params.rendle().equals(dev.mfrecs.factorization.ImplicitAlsParams.Rendle.NONE) == false) {
            // Rendle et al. 2021: unobserved weight and frequency-scaled regularization; fold-in needs both and |I|.
            meta.put("rendle", Map.of("alpha0", params.rendle().alpha0(), "nu", params.rendle().nu()));
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("iterations", params.iterations());
        p.put("solver", params.solver().name().toLowerCase(java.util.Locale.ROOT));
        p.put("cg_steps", params.cgSteps());
        p.put("seed", params.seed());
        p.put("threads", params.threads());
        meta.put("params", p);
        meta.put("gram", gram);
        TrainingRecord.put(meta, data, params.iterations(), seconds);
        meta.putAll(extraMetadata);
        log.step(String.format(java.util.Locale.ROOT, "trained in %.2fs", seconds));
        return new ModelArtifacts(model, f.factors(), data.items().ids(), f.itemFactors(), popularity, data.users().ids(), f.userFactors(),
            m, meta);
    }
}
