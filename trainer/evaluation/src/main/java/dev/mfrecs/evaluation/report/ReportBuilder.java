package dev.mfrecs.evaluation.report;

import dev.mfrecs.evaluation.BiasedRecommender;
import dev.mfrecs.evaluation.EvalOptions;
import dev.mfrecs.evaluation.EvalResult;
import dev.mfrecs.evaluation.Evaluator;
import dev.mfrecs.evaluation.Grid;
import dev.mfrecs.evaluation.IalsRecommender;
import dev.mfrecs.evaluation.Interactions;
import dev.mfrecs.evaluation.ModelSpec;
import dev.mfrecs.evaluation.Protocol;
import dev.mfrecs.evaluation.Tuner;
import dev.mfrecs.factorization.BiasedModel;
import dev.mfrecs.factorization.FactorModel;
import dev.mfrecs.factorization.TopK;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Computes and writes the offline evaluation report, one self-contained HTML page with inline SVG charts: the leave-one-out
 * comparison of every model and baseline, an iALS factors x regularization heatmap of validation NDCG@10, a 2-D PCA of iALS item
 * factors colored by an item category, the items with the highest and lowest explicit-ALS item bias, and three personas (heavy,
 * casual, new) with their recommendations and the fold-in explanations behind them.
 */
public final class ReportBuilder {

    static final List<String> TABLE_METRICS = List.of("ndcg@10", "recall@20", "hr@10", "map@10", "mrr", "coverage@20");

    private final ReportInput input;
    private final ReportConfig config;
    private final Consumer<String> log;
    private final StringBuilder body = new StringBuilder();

    public ReportBuilder(ReportInput input, ReportConfig config, Consumer<String> log) {
        this.input = input;
        this.config = config;
        this.log = log == null ? s -> {} : log;
    }

    /** Runs every section and returns the page. */
    public String build() {
        long start = System.nanoTime();
        Interactions data = input.data();
        EvalOptions loo = new EvalOptions(Protocol.LEAVE_ONE_OUT, new int[] { 10, 20 }, 0, 0.2, 0.2, 1, config.seed(), config.threads());
        modelsSection(data, loo);
        ModelSpec best = heatmapSection(data, loo);
        IalsRecommender full = (IalsRecommender) best.create(config.seed(), config.threads());
        full.fit(data.toMatrix());
        pcaSection(data, full.model());
        biasSection();
        personasSection(data, best);
        double seconds = (System.nanoTime() - start) / 1e9;
        return page(seconds);
    }

    private void modelsSection(Interactions data, EvalOptions loo) {
        List<EvalResult> results = new ArrayList<>();
        for (String model : config.models()) {
            log.accept("leave-one-out: " + model);
            results.add(Evaluator.evaluate(ModelSpec.of(model, Map.of()), data, loo));
        }
        body.append("<h2 id=\"models\">Models and baselines (leave-one-out)</h2>\n");
        body.append("<p>Each user's latest purchase is held out (users with one item are not evaluated); every model ranks all ")
            .append(data.itemCount()).append(" items except the user's training items. ").append(results.isEmpty() ? 0
                : results.get(0).usersEvaluated()).append(" users evaluated; default parameters; seed ").append(config.seed())
            .append(".</p>\n");
        body.append("<table class=\"metrics\" id=\"models-table\"><thead><tr><th>model</th><th>parameters</th>");
        for (String m : TABLE_METRICS) {
            body.append("<th>").append(Html.escape(m)).append("</th>");
        }
        body.append("<th>train s</th><th>s / iteration</th></tr></thead><tbody>\n");
        double[] bestOf = new double[TABLE_METRICS.size()];
        for (EvalResult r : results) {
            for (int j = 0; j < bestOf.length; j++) {
                bestOf[j] = Math.max(bestOf[j], r.metrics().getOrDefault(TABLE_METRICS.get(j), 0.0));
            }
        }
        Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
        for (EvalResult r : results) {
            body.append("<tr class=\"model-row\"><td>").append(Html.escape(r.model())).append("</td><td class=\"params\">")
                .append(Html.escape(paramsText(r.params()))).append("</td>");
            for (int j = 0; j < TABLE_METRICS.size(); j++) {
                double v = r.metrics().getOrDefault(TABLE_METRICS.get(j), Double.NaN);
                body.append(v == bestOf[j] ? "<td class=\"best\">" : "<td>").append(Html.num(v, 4)).append("</td>");
            }
            body.append("<td>").append(Html.num(r.trainSeconds(), 2)).append("</td><td>").append(Html.num(r.secondsPerIteration(), 3))
                .append("</td></tr>\n");
            bars.put(r.model(), r.metrics());
        }
        body.append("</tbody></table>\n");
        body.append("<figure>").append(Charts.metricBars("chart-models", bars, List.of("ndcg@10", "recall@20", "hr@10"), 900, 320))
            .append("<figcaption>NDCG@10, Recall@20 and HR@10 per model (leave-one-out).</figcaption></figure>\n");
    }

    private ModelSpec heatmapSection(Interactions data, EvalOptions loo) {
        Map<String, double[]> axes = new LinkedHashMap<>();
        axes.put("regularization", config.regGrid());
        axes.put("factors", config.factorsGrid());
        Grid grid = Grid.ofNumbers(axes);
        log.accept("tuning ials on a " + config.regGrid().length + " x " + config.factorsGrid().length + " grid");
        Tuner.Outcome outcome = Tuner.tune("ials", Map.of("iterations", Integer.toString(config.gridIterations())), grid, data, loo,
            "ndcg@10", row -> log.accept("  " + row.spec().label(grid.names()) + ": " + Html.num(row.validation().metric("ndcg@10"), 4)));
        double[][] values = new double[config.regGrid().length][config.factorsGrid().length];
        int j = 0;
        for (int y = 0; y < config.regGrid().length; y++) {
            for (int x = 0; x < config.factorsGrid().length; x++) {
                values[y][x] = outcome.rows().get(j++).validation().metric("ndcg@10");
            }
        }
        String[] xTicks = labels(config.factorsGrid());
        String[] yTicks = labels(config.regGrid());
        body.append("<h2 id=\"heatmap\">iALS: factors x regularization</h2>\n");
        body.append("<p>Validation NDCG@10 of iALS (alpha 10, ").append(config.gridIterations()).append(" iterations) for each grid ")
            .append("point. The validation split is a second leave-one-out carved from the training part, so the test items are ")
            .append("never seen while choosing. Best: <b>").append(Html.escape(outcome.best().label(List.of("factors",
                "regularization")))).append("</b>, test NDCG@10 ").append(Html.num(outcome.test().metric("ndcg@10"), 4))
            .append(", test Recall@20 ").append(Html.num(outcome.test().metric("recall@20"), 4)).append(".</p>\n");
        body.append("<figure>").append(Charts.heatmap("chart-heatmap", "validation NDCG@10", "factors", xTicks, "regularization",
            yTicks, values, 720, 420)).append("</figure>\n");
        return outcome.best();
    }

    private void pcaSection(Interactions data, FactorModel model) {
        int[] popularity = new int[data.itemCount()];
        for (int i : data.item()) {
            popularity[i]++;
        }
        Integer[] order = new Integer[data.itemCount()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -popularity[i]).thenComparingInt(i -> i));
        int n = Math.min(config.pcaItems(), order.length);
        int[] rows = new int[n];
        String[] category = new String[n];
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (int j = 0; j < n; j++) {
            rows[j] = order[j];
            category[j] = input.categoryOf().apply(data.items().id(rows[j]));
            counts.merge(category[j], 1, Integer::sum);
        }
        List<String> categories = new ArrayList<>(counts.keySet());
        categories.sort(Comparator.comparing((String c) -> c.equals("other") ? 1 : 0).thenComparing(c -> -counts.get(c))
            .thenComparing(c -> c));
        if (categories.size() > Charts.PALETTE.length) {
            List<String> kept = new ArrayList<>(categories.subList(0, Charts.PALETTE.length - 1));
            for (int j = 0; j < n; j++) {
                if (kept.contains(category[j]) == false) {
                    category[j] = "other";
                }
            }
            kept.add("other");
            categories = kept;
        }
        double[] xy = Pca.project2(model.itemFactors(), model.factors(), rows);
        body.append("<h2 id=\"pca\">Item factors (PCA)</h2>\n");
        body.append("<p>The ").append(n).append(" most purchased items' iALS vectors (").append(model.factors())
            .append(" factors, trained on all interactions) projected on their first two principal components. ")
            .append(Html.escape(input.categoryNote())).append("</p>\n");
        body.append("<figure>").append(Charts.scatter("chart-pca", "PC 1", "PC 2", xy, category, categories, 900, 560))
            .append("</figure>\n");
    }

    private void biasSection() {
        Interactions ratings = input.ratings();
        ModelSpec spec = ModelSpec.of("als", Map.of("factors", "16", "iterations", "10"));
        BiasedRecommender als = (BiasedRecommender) spec.create(config.seed(), config.threads());
        log.accept("explicit ALS for item biases");
        als.fit(ratings.toMatrix());
        BiasedModel m = als.model();
        int[] raters = new int[ratings.itemCount()];
        for (int i : ratings.item()) {
            raters[i]++;
        }
        int minRaters = 10;
        List<Integer> eligible = new ArrayList<>();
        for (int i = 0; i < raters.length; i++) {
            if (raters[i] >= minRaters) {
                eligible.add(i);
            }
        }
        if (eligible.size() < 20) {
            minRaters = 1;
            eligible.clear();
            for (int i = 0; i < raters.length; i++) {
                eligible.add(i);
            }
        }
        eligible.sort(Comparator.comparingDouble((Integer i) -> -m.itemBias()[i]).thenComparingInt(i -> i));
        int k = Math.min(10, eligible.size() / 2);
        List<Integer> shown = new ArrayList<>(eligible.subList(0, k));
        shown.addAll(eligible.subList(eligible.size() - k, eligible.size()));
        body.append("<h2 id=\"biases\">Item biases b<sub>i</sub> (explicit ALS)</h2>\n");
        body.append("<p>").append(Html.escape(input.ratingsNote())).append(" Explicit ALS with biases (16 factors, 10 iterations, ")
            .append("regularization 0.1) fits r = mu + b<sub>u</sub> + b<sub>i</sub> + p<sub>u</sub>&middot;q<sub>i</sub>; mu = ")
            .append(Html.num(m.globalMean(), 3)).append(". The ").append(k).append(" highest and ").append(k)
            .append(" lowest b<sub>i</sub> among items with at least ").append(minRaters).append(" raters:</p>\n");
        body.append("<table class=\"metrics\" id=\"bias-table\"><thead><tr><th>item</th><th>label</th><th>b_i</th><th>raters</th>")
            .append("<th>mean rating</th></tr></thead><tbody>\n");
        double[] sum = new double[ratings.itemCount()];
        for (int p = 0; p < ratings.size(); p++) {
            sum[ratings.item()[p]] += ratings.value()[p];
        }
        List<String> labels = new ArrayList<>();
        double[] values = new double[shown.size()];
        for (int j = 0; j < shown.size(); j++) {
            int i = shown.get(j);
            String id = ratings.items().id(i);
            String label = input.labelOf().apply(id);
            body.append("<tr class=\"bias-row\"><td>").append(Html.escape(id)).append("</td><td>").append(Html.escape(label))
                .append("</td><td>").append(Html.num(m.itemBias()[i], 3)).append("</td><td>").append(raters[i]).append("</td><td>")
                .append(Html.num(sum[i] / raters[i], 2)).append("</td></tr>\n");
            labels.add(shorten(label, 32) + " (" + id + ")");
            values[j] = m.itemBias()[i];
        }
        body.append("</tbody></table>\n");
        body.append("<figure>").append(Charts.signedBars("chart-bias", "b_i", labels, values, 900, 40 + 24 * shown.size()))
            .append("</figure>\n");
    }

    private void personasSection(Interactions data, ModelSpec spec) {
        int[] count = new int[data.userCount()];
        for (int u : data.user()) {
            count[u]++;
        }
        int heavy = 0;
        for (int u = 1; u < count.length; u++) {
            if (count[u] > count[heavy]) {
                heavy = u;
            }
        }
        int casual = closest(count, 5, heavy, -1);
        int fresh = closest(count, 3, heavy, casual);
        // the new user is genuinely new: the persona model is trained without their pairs
        int[] keep = IntStream.range(0, data.size()).filter(p -> data.user()[p] != fresh).toArray();
        IalsRecommender model = (IalsRecommender) spec.create(config.seed(), config.threads());
        log.accept("personas: training " + spec.label(List.of("factors", "regularization")) + " without the new user");
        model.fit(data.subset(keep).toMatrix());
        body.append("<h2 id=\"personas\">Three personas</h2>\n");
        body.append("<p>Recommendations of ").append(Html.escape(spec.label(List.of("factors", "regularization"))))
            .append(" for a heavy, a casual and a new user, each folded in from their history exactly as the plugin does at query ")
            .append("time. &ldquo;Because&rdquo; lists the history items contributing most to each score (Hu, Koren and Volinsky ")
            .append("2008, section 5: with W = (Y<sup>T</sup>C<sub>u</sub>Y + &lambda;I)<sup>-1</sup>, item j contributes ")
            .append("y<sub>i</sub><sup>T</sup>W y<sub>j</sub> c<sub>j</sub>; the contributions sum to the score). The new user's ")
            .append("pairs were removed from training.</p>\n<div class=\"personas\">\n");
        persona(data, model, heavy, "Heavy user", "the customer with the most distinct items");
        persona(data, model, casual, "Casual user", "a customer with about 5 items");
        persona(data, model, fresh, "New user", "a customer unseen in training, folded in from 3 items");
        body.append("</div>\n");
    }

    private void persona(Interactions data, IalsRecommender model, int user, String title, String who) {
        List<Integer> pairs = new ArrayList<>();
        for (int p = 0; p < data.size(); p++) {
            if (data.user()[p] == user) {
                pairs.add(p);
            }
        }
        pairs.sort(Comparator.comparingDouble((Integer p) -> -data.value()[p]).thenComparingInt(p -> data.item()[p]));
        int n = pairs.size();
        int[] items = new int[n];
        float[] values = new float[n];
        boolean[] seen = new boolean[data.itemCount()];
        for (int j = 0; j < n; j++) {
            items[j] = data.item()[pairs.get(j)];
            values[j] = data.value()[pairs.get(j)];
            seen[items[j]] = true;
        }
        float[] scores = new float[data.itemCount()];
        model.scoreHistory(items, values, n, scores);
        int[] top = TopK.topK(scores, scores.length, 10, i -> seen[i]);
        String userId = data.users().id(user);
        body.append("<section class=\"persona\" id=\"persona-").append(Html.escape(title.split(" ")[0].toLowerCase(Locale.ROOT)))
            .append("\"><h3>").append(Html.escape(title)).append(": ").append(Html.escape(userId)).append("</h3><p class=\"who\">")
            .append(Html.escape(who)).append("; ").append(n).append(" items in history</p>\n<h4>History</h4><ul class=\"history\">");
        for (int j = 0; j < Math.min(n, 8); j++) {
            body.append("<li>").append(Html.escape(label(data, items[j]))).append(" <span class=\"v\">&times;")
                .append(ModelSpec.format(values[j])).append("</span></li>");
        }
        if (n > 8) {
            body.append("<li class=\"more\">&hellip; and ").append(n - 8).append(" more</li>");
        }
        body.append("</ul>\n<h4>Recommended</h4><table class=\"recs\"><thead><tr><th>#</th><th>item</th><th>score</th>")
            .append("<th>because</th></tr></thead><tbody>\n");
        float[] contributions = new float[n];
        for (int r = 0; r < top.length; r++) {
            float score = model.explain(items, values, n, top[r], contributions);
            Integer[] order = new Integer[n];
            for (int j = 0; j < n; j++) {
                order[j] = j;
            }
            Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -contributions[j]).thenComparingInt(j -> j));
            body.append("<tr class=\"rec-row\"><td>").append(r + 1).append("</td><td>").append(Html.escape(label(data, top[r])))
                .append("</td><td>").append(Html.num(score, 3)).append("</td><td class=\"because\">");
            for (int j = 0; j < Math.min(3, n); j++) {
                int h = order[j];
                body.append(j == 0 ? "" : "<br>").append(Html.escape(shorten(label(data, items[h]), 36))).append(" <span class=\"v\">")
                    .append(contributions[h] >= 0 ? "+" : "").append(Html.num(contributions[h], 3)).append("</span>");
            }
            body.append("</td></tr>\n");
        }
        body.append("</tbody></table></section>\n");
    }

    private String label(Interactions data, int item) {
        String id = data.items().id(item);
        String l = input.labelOf().apply(id);
        return l == null || l.isEmpty() || l.equals(id) ? id : l + " (" + id + ")";
    }

    /** The user (smallest id among ties) whose pair count is closest to {@code target}, skipping two users. */
    static int closest(int[] count, int target, int skip1, int skip2) {
        int best = -1;
        for (int u = 0; u < count.length; u++) {
            if (u == skip1 || u == skip2) {
                continue;
            }
            if (best < 0 || Math.abs(count[u] - target) < Math.abs(count[best] - target)) {
                best = u;
            }
        }
        if (best < 0) {
            throw new IllegalArgumentException("the report needs at least 3 users");
        }
        return best;
    }

    private String page(double seconds) {
        Interactions d = input.data();
        StringBuilder sb = new StringBuilder(body.length() + 4096);
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>mfrecs evaluation: ")
            .append(Html.escape(input.title())).append("</title>\n<style>\n").append(CSS).append("</style></head><body>\n");
        sb.append("<h1>mfrecs evaluation report: ").append(Html.escape(input.title())).append("</h1>\n");
        sb.append("<p class=\"meta\">").append(d.userCount()).append(" users, ").append(d.itemCount()).append(" items, ")
            .append(d.size()).append(" user-item pairs; seed ").append(config.seed()).append(", ").append(config.threads())
            .append(" threads; computed in ").append(Html.num(seconds, 1)).append(" s. Sections: <a href=\"#models\">models</a>, ")
            .append("<a href=\"#heatmap\">heatmap</a>, <a href=\"#pca\">item factors</a>, <a href=\"#biases\">item biases</a>, ")
            .append("<a href=\"#personas\">personas</a>. Metrics: NDCG@k uses binary gains 1/log2(rank+1) normalized by the ideal ")
            .append("DCG; Recall@k is hits / min(k, |held-out|); HR@k is 1 if any held-out item is in the top k; MAP@k averages ")
            .append("precision at each hit over min(k, |held-out|); MRR is 1 / the first hit's rank; coverage@20 is the share of ")
            .append("items in anyone's top 20.</p>\n");
        sb.append(body);
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static String paramsText(Map<String, Object> params) {
        StringBuilder sb = new StringBuilder();
        for (var e : params.entrySet()) {
            sb.append(sb.isEmpty() ? "" : ", ").append(e.getKey()).append('=').append(ModelSpec.format(e.getValue()));
        }
        return sb.isEmpty() ? "-" : sb.toString();
    }

    private static String[] labels(double[] values) {
        String[] out = new String[values.length];
        for (int j = 0; j < values.length; j++) {
            out[j] = ModelSpec.format(values[j]);
        }
        return out;
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    private static final String CSS = """
        body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; margin: 24px auto; max-width: 1200px; color: #222; }
        h1 { font-size: 24px; } h2 { font-size: 19px; margin-top: 32px; border-bottom: 1px solid #ccc; } h4 { margin: 8px 0 4px; }
        p.meta, p.who { color: #555; font-size: 13px; }
        table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
        th, td { border: 1px solid #ddd; padding: 3px 7px; text-align: right; vertical-align: top; }
        th { background: #f3f3f3; } td:first-child, td.params, td.because, .recs td:nth-child(2), #bias-table td:nth-child(2)
        { text-align: left; }
        td.best { font-weight: bold; background: #eef6ee; }
        figure { margin: 8px 0; } figcaption { font-size: 12px; color: #555; }
        .personas { display: grid; grid-template-columns: repeat(3, 1fr); gap: 14px; }
        .persona { border: 1px solid #ddd; border-radius: 6px; padding: 8px; font-size: 12px; }
        .persona table { font-size: 11px; width: 100%; } ul.history { padding-left: 18px; margin: 0; }
        span.v { color: #0072B2; }
        """;
}
