package dev.mfrecs.trainer.train;

import dev.mfrecs.factorization.BiasedModel;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.ExplicitAls;
import dev.mfrecs.factorization.ExplicitAlsParams;
import dev.mfrecs.factorization.FunkSvd;
import dev.mfrecs.factorization.FunkSvdParams;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.PureSvd;
import dev.mfrecs.factorization.PureSvdParams;
import dev.mfrecs.factorization.SvdModel;
import dev.mfrecs.factorization.TrainingListener;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.log.ProgressLog;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Trains any of the four factorizations on an in-memory interaction matrix, without a cluster: the engine behind
 * {@code recsys train --input}, which writes {@code model.json} and factor files. Implicit ALS goes through
 * {@link ImplicitTrainer#fit}, so offline and published models are trained (and fold-in-consistent) identically; the others call
 * the factorization library directly.
 */
public final class OfflineTrainer {

    /** Funk SVD's Gaussian initialization scale (the Surprise library's default). */
    static final float FUNK_INIT_STD = 0.1f;
    /** PureSVD's sketch oversampling (Halko et al. 2011 suggest 5 to 10). */
    static final int SVD_OVERSAMPLING = 10;

    private OfflineTrainer() {}

    public static TrainedModel train(InteractionMatrix data, OfflineSettings s, ProgressLog log) {
        CsrMatrix m = data.userItems();
        if (m.nnz() == 0) {
            throw new IllegalArgumentException("no interactions left to train on after filtering; check [--min-value] and the input");
        }
        return switch (s.algorithm()) {
            case IALS -> implicit(data, s, log);
            case ALS, FUNK -> biased(data, s, log);
            case SVD -> pureSvd(data, s, log);
        };
    }

    private static TrainedModel implicit(InteractionMatrix data, OfflineSettings s, ProgressLog log) {
        ImplicitAlsParams params = new ImplicitAlsParams(s.factors(), s.iterations(), s.regularization(), s.confidence(), s.solver(),
            s.cgSteps(), s.seed(), s.threads()).withRendle(s.rendle().alpha0(), s.rendle().nu());
        ImplicitTrainer.Fit fit = ImplicitTrainer.fit(data.userItems(), params, log);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("iterations", params.iterations());
        p.put("solver", params.solver().name().toLowerCase(Locale.ROOT));
        p.put("cg_steps", params.cgSteps());
        p.put("seed", params.seed());
        p.put("threads", params.threads());
        Map<String, Object> meta = metadata(data, s, p, fit.seconds(), s.iterations());
        meta.put("regularization", params.regularization());
        Map<String, Object> confidence = new LinkedHashMap<>();
        confidence.put("kind", params.confidence().kind().name().toLowerCase(Locale.ROOT));
        confidence.put("alpha", params.confidence().alpha());
        confidence.put("epsilon", params.confidence().epsilon());
        meta.put("confidence", confidence);
        if (params.rendle().equals(ImplicitAlsParams.Rendle.NONE) == false) {
            meta.put("rendle", Map.of("alpha0", params.rendle().alpha0(), "nu", params.rendle().nu()));
        }
        meta.put("gram", fit.gram());
        return new TrainedModel(Algorithm.IALS, s.factors(), data.users().ids(), fit.factors().userFactors(), null, data.items().ids(),
            fit.factors().itemFactors(), null, meta);
    }

    private static TrainedModel biased(InteractionMatrix data, OfflineSettings s, ProgressLog log) {
        CsrMatrix m = data.userItems();
        log.step("training " + s.algorithm().cliName() + ": " + m.rows() + " users x " + m.cols() + " items, " + m.nnz() + " ratings, d="
            + s.factors() + ", " + s.iterations() + " iterations");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("iterations", s.iterations());
        params.put("seed", s.seed());
        long start = System.nanoTime();
        BiasedModel model;
        if (s.algorithm() == Algorithm.ALS) {
            params.put("threads", s.threads());
            model = ExplicitAls.train(m, new ExplicitAlsParams(s.factors(), s.iterations(), s.regularization(), s.seed(), s.threads()),
                listener(log));
        } else {
            params.put("learning_rate", s.learningRate());
            params.put("init_std", FUNK_INIT_STD);
            model = FunkSvd.train(m, new FunkSvdParams(s.factors(), s.iterations(), s.learningRate(), s.regularization(), FUNK_INIT_STD,
                s.seed()), listener(log));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> meta = metadata(data, s, params, seconds, s.iterations());
        meta.put("regularization", s.regularization());
        meta.put("global_mean", model.globalMean());
        return new TrainedModel(s.algorithm(), s.factors(), data.users().ids(), model.userFactors(), model.userBias(), data.items().ids(),
            model.itemFactors(), model.itemBias(), meta);
    }

    private static TrainedModel pureSvd(InteractionMatrix data, OfflineSettings s, ProgressLog log) {
        CsrMatrix m = data.userItems();
        log.step("training PureSVD: " + m.rows() + " users x " + m.cols() + " items, " + m.nnz() + " pairs, d=" + s.factors() + ", "
            + s.iterations() + " power iterations");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("power_iterations", s.iterations());
        params.put("oversampling", SVD_OVERSAMPLING);
        params.put("seed", s.seed());
        params.put("threads", s.threads());
        long start = System.nanoTime();
        SvdModel model = PureSvd.train(m, new PureSvdParams(s.factors(), SVD_OVERSAMPLING, s.iterations(), s.seed(), s.threads()));
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> meta = metadata(data, s, params, seconds, s.iterations() + 1);
        meta.put("singular_values", model.singularValues());
        return new TrainedModel(Algorithm.SVD, s.factors(), data.users().ids(), model.userFactors(), null, data.items().ids(),
            model.itemFactors(), null, meta);
    }

    /** The metadata every non-implicit algorithm shares; {@code passes} divides the time into {@code seconds_per_iteration}. */
    private static Map<String, Object> metadata(InteractionMatrix data, OfflineSettings s, Map<String, Object> params, double seconds,
                                                int passes) {
        CsrMatrix m = data.userItems();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("algorithm", s.algorithm().cliName());
        meta.put("factors", s.factors());
        meta.put("params", params);
        TrainingRecord.putOffline(meta, data, Math.max(passes, 0), seconds);
        return meta;
    }

    private static TrainingListener listener(ProgressLog log) {
        return (it, total, seconds) -> log.step(String.format(Locale.ROOT, "iteration %d/%d (%.2fs)", it, total, seconds));
    }
}
