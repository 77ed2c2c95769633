package dev.mfrecs.trainer.train;

import dev.mfrecs.contract.ImplicitTerms;
import dev.mfrecs.contract.InteractionRecipe;
import dev.mfrecs.contract.ModelAlgorithm;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.contract.TrainingSummary;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains implicit ALS on an interaction matrix and packages what a model version publishes: the factors, the item Gram
 * matrix Y^T Y the plugin's fold-in solves against, item popularity, and the typed metadata every engine writes the same way
 * ({@link #metadata}).
 */
public final class ImplicitTrainer {

    private ImplicitTrainer() {}

    /** The trained factors, after the final exact user half-sweep, and the item and user Gram matrices. */
    public record Fit(FactorModel factors, float[] gram, float[] userGram, double seconds) {}

    /**
     * Trains, then runs a last exact user half-sweep against the final item factors: stored user vectors then equal what the
     * plugin's query-time fold-in computes from the same history, so stored and folded-in users rank alike.
     */
    public static Fit fit(CsrMatrix m, ImplicitAlsParams params, ProgressLog log) {
        log.step("training implicit ALS: " + m.rows() + " users x " + m.cols() + " items, " + m.nnz() + " pairs, d=" + params.factors()
            + ", " + params.iterations() + " iterations, solver " + params.solver() + ", " + params.threads() + " threads, "
            + ImplicitAls.kernels() + " kernels");
        long start = System.nanoTime();
        FactorModel f = ImplicitAls.train(m, params, (it, total, seconds) -> log.step(String.format(Locale.ROOT, "iteration %d/%d (%.2fs)",
            it, total, seconds)));
        ImplicitAls.halfSweep(m, f.itemFactors(), f.items(), f.userFactors(), params.withSolver(Solver.CHOLESKY));
        double seconds = (System.nanoTime() - start) / 1e9;
        float[] gram = Gram.compute(f.itemFactors(), f.items(), f.factors());
        float[] userGram = Gram.compute(f.userFactors(), f.users(), f.factors());
        log.step(String.format(Locale.ROOT, "trained in %.2fs", seconds));
        return new Fit(f, gram, userGram, seconds);
    }

    /** Trains on {@code data} read with {@code recipe} and packages a model version of {@code model}. */
    public static ModelArtifacts train(String model, InteractionMatrix data, ImplicitAlsParams params, InteractionRecipe recipe,
                                       ProgressLog log) {
        CsrMatrix m = data.userItems();
        Fit fit = fit(m, params, log);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("cg_steps", params.cgSteps());
        details.put("threads", params.threads());
        TrainingSummary summary = TrainingRecord.summary("local", params.iterations(), params.solver().name().toLowerCase(Locale.ROOT),
            params.seed(), m, data.events(), fit.seconds(), params.iterations() == 0 ? 0 : fit.seconds() / params.iterations(), details);
        float[] popularity = TrainingRecord.popularity(m);
        FactorModel f = fit.factors();
        ModelMetadata metadata = metadata(model, params, fit.gram(), fit.userGram(), m, recipe, TrainingRecord.popularItems(
            data.items().ids(), popularity), summary);
        return new ModelArtifacts(metadata, data.items().ids(), f.itemFactors(), null, popularity, data.users().ids(), f.userFactors(),
            null, m);
    }

    /**
     * The metadata of an implicit model, whatever engine trained it: the settings the plugin's fold-in must repeat (the
     * confidence, the Rendle options, the regularization) come from {@code params}, the ones the solver actually used.
     */
    public static ModelMetadata metadata(String model, ImplicitAlsParams params, float[] gram, float[] userGram, CsrMatrix m,
                                         InteractionRecipe recipe, List<String> popularItems, TrainingSummary summary) {
        return new ModelMetadata(model, 0, ModelAlgorithm.IALS, params.factors(), params.regularization(), m.rows(), m.cols(),
            new ImplicitTerms(params.confidence(), params.rendle(), gram, userGram), null, recipe, null, popularItems, summary);
    }
}
