package dev.mfrecs.trainer.train;

import dev.mfrecs.factorization.BiasedModel;
import dev.mfrecs.factorization.CsrMatrix;
import dev.mfrecs.factorization.ExplicitAls;
import dev.mfrecs.factorization.FunkSvd;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.PureSvd;
import dev.mfrecs.factorization.SvdModel;
import dev.mfrecs.factorization.TrainingListener;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.settings.AlgorithmSettings;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Trains any of the four factorizations on an in-memory interaction matrix, without a cluster: the engine behind
 * {@code recsys train --input}, which writes {@code model.json} and factor files. Implicit ALS goes through
 * {@link ImplicitTrainer#fit}, so offline and published models are trained (and fold-in-consistent) identically; the others call
 * the factorization library directly. What to train, and how, is one {@link AlgorithmSettings}; {@code model.json}'s {@code params}
 * are its {@link AlgorithmSettings#values()} (the names {@code train} and {@code tune} use) plus the seed and thread count.
 */
public final class OfflineTrainer {

    private OfflineTrainer() {}

    public static TrainedModel train(InteractionMatrix data, AlgorithmSettings s, ProgressLog log) {
        CsrMatrix m = data.userItems();
        if (m.nnz() == 0) {
            throw new IllegalArgumentException("no interactions left to train on after filtering; check [--min-value] and the input");
        }
        return switch (s) {
            case AlgorithmSettings.Ials ials -> implicit(data, ials, log);
            case AlgorithmSettings.Als als -> biased(data, als, log);
            case AlgorithmSettings.Funk funk -> biased(data, funk, log);
            case AlgorithmSettings.Svd svd -> pureSvd(data, svd, log);
        };
    }

    private static TrainedModel implicit(InteractionMatrix data, AlgorithmSettings.Ials s, ProgressLog log) {
        ImplicitAlsParams params = s.params();
        ImplicitTrainer.Fit fit = ImplicitTrainer.fit(data.userItems(), params, log);
        Map<String, Object> meta = metadata(data, s, fit.seconds(), s.iterations());
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

    /** Explicit ALS or Funk SVD: the rating models with biases. */
    private static TrainedModel biased(InteractionMatrix data, AlgorithmSettings s, ProgressLog log) {
        CsrMatrix m = data.userItems();
        log.step("training " + s.algorithm().cliName() + ": " + m.rows() + " users x " + m.cols() + " items, " + m.nnz() + " ratings, d="
            + s.factors() + ", " + s.iterations() + " iterations");
        long start = System.nanoTime();
        BiasedModel model = switch (s) {
            case AlgorithmSettings.Als als -> ExplicitAls.train(m, als.params(), listener(log));
            case AlgorithmSettings.Funk funk -> FunkSvd.train(m, funk.params(), listener(log));
            default -> throw new IllegalArgumentException("not a rating model [" + s.algorithm().cliName() + "]");
        };
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> meta = metadata(data, s, seconds, s.iterations());
        meta.put("regularization", s.values().get("regularization"));
        meta.put("global_mean", model.globalMean());
        return new TrainedModel(s.algorithm(), s.factors(), data.users().ids(), model.userFactors(), model.userBias(), data.items().ids(),
            model.itemFactors(), model.itemBias(), meta);
    }

    private static TrainedModel pureSvd(InteractionMatrix data, AlgorithmSettings.Svd s, ProgressLog log) {
        CsrMatrix m = data.userItems();
        log.step("training PureSVD: " + m.rows() + " users x " + m.cols() + " items, " + m.nnz() + " pairs, d=" + s.factors() + ", "
            + s.iterations() + " power iterations");
        long start = System.nanoTime();
        SvdModel model = PureSvd.train(m, s.params());
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Object> meta = metadata(data, s, seconds, s.iterations() + 1);
        meta.put("singular_values", model.singularValues());
        return new TrainedModel(Algorithm.SVD, s.factors(), data.users().ids(), model.userFactors(), null, data.items().ids(),
            model.itemFactors(), null, meta);
    }

    /** The metadata every algorithm shares; {@code passes} divides the time into {@code seconds_per_iteration}. */
    private static Map<String, Object> metadata(InteractionMatrix data, AlgorithmSettings s, double seconds, int passes) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("algorithm", s.algorithm().cliName());
        meta.put("factors", s.factors());
        Map<String, Object> params = new LinkedHashMap<>(s.values());
        params.put("seed", s.seed());
        params.put("threads", s.threads());
        meta.put("params", params);
        TrainingRecord.putOffline(meta, data, Math.max(passes, 0), seconds);
        return meta;
    }

    private static TrainingListener listener(ProgressLog log) {
        return (it, total, seconds) -> log.step(String.format(Locale.ROOT, "iteration %d/%d (%.2fs)", it, total, seconds));
    }
}
