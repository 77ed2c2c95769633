package dev.mfrecs.trainer.train;

import dev.mfrecs.contract.ModelMetadata;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a new model must show before it replaces the live one: at least {@code minEvents} events trained on, event, user and
 * item counts that did not drop by more than {@code maxDrop} from the live model's, and optionally a ranking metric on
 * held-out recent interactions of at least a fraction of the live model's ({@code ndcg@10>=0.95*live}, measured by
 * {@link GateEvaluator}). A refusal is a {@link PublishRefusedException} naming the failed check.
 *
 * @param minEvents the fewest events a model may be trained on, 0 for no minimum
 * @param maxDrop   the largest relative drop of events, users or items against the live model (0.2 = 20%), null for no limit
 * @param metric    the metric condition, null for none
 */
public record PublishGate(long minEvents, Double maxDrop, Condition metric) {

    public static final PublishGate NONE = new PublishGate(0, null, null);

    /** {@code <metric>@<k> >= <ratio> * live}, metric one of {@code ndcg}, {@code hr}. */
    public record Condition(String metric, int k, double ratio) {
        private static final Pattern FORM = Pattern.compile("\\s*(ndcg|hr)@([0-9]{1,4})\\s*>=\\s*([0-9]*\\.?[0-9]+)\\s*\\*\\s*live\\s*");

        public static Condition parse(String text) {
            Matcher m = FORM.matcher(text.toLowerCase(Locale.ROOT));
            if (m.matches() == false) {
                throw new IllegalArgumentException("[--gate] must look like [ndcg@10>=0.95*live] (metric ndcg or hr), got [" + text + "]");
            }
            int k = Integer.parseInt(m.group(2));
            double ratio = Double.parseDouble(m.group(3));
            if (k < 1 || ratio <= 0 || ratio > 10) {
                throw new IllegalArgumentException("[--gate] needs k >= 1 and 0 < ratio <= 10, got [" + text + "]");
            }
            return new Condition(m.group(1), k, ratio);
        }

        @Override
        public String toString() {
            return metric + "@" + k + ">=" + ratio + "*live";
        }
    }

    public PublishGate {
        if (minEvents < 0) {
            throw new IllegalArgumentException("[--min-events] must be >= 0, got [" + minEvents + "]");
        }
        if (maxDrop != null && (maxDrop < 0 || maxDrop >= 1)) {
            throw new IllegalArgumentException("[--max-drop] must be in [0%, 100%), got [" + maxDrop * 100 + "%]");
        }
    }

    /** Parses {@code --max-drop}: a percentage like {@code 20%} or a fraction like {@code 0.2}. */
    public static Double parseDrop(String text) {
        if (text == null) {
            return null;
        }
        try {
            String t = text.trim();
            return t.endsWith("%") ? Double.parseDouble(t.substring(0, t.length() - 1)) / 100 : Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("[--max-drop] must be a percentage like [20%], got [" + text + "]");
        }
    }

    /**
     * Checks the counts of {@code candidate} against {@code live} (null: no live model, only the minimum applies); records
     * what it compared in {@code report}.
     */
    public void checkCounts(ModelMetadata candidate, ModelMetadata live, Map<String, Object> report) {
        long events = candidate.training().eventCount();
        report.put("events", events);
        if (events < minEvents) {
            throw new PublishRefusedException("gate: trained on [" + events + "] events, fewer than [--min-events] [" + minEvents + "]");
        }
        if (live == null || maxDrop == null) {
            return;
        }
        Map<String, long[]> counts = new LinkedHashMap<>();
        counts.put("events", new long[] { events, live.training().eventCount() });
        counts.put("users", new long[] { candidate.userCount(), live.userCount() });
        counts.put("items", new long[] { candidate.itemCount(), live.itemCount() });
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long now = e.getValue()[0];
            long before = e.getValue()[1];
            report.put("live_" + e.getKey(), before);
            if (before > 0 && (before - now) > maxDrop * before) {
                throw new PublishRefusedException(String.format(Locale.ROOT, "gate: %s dropped from [%d] (live version %d) to [%d], more "
                    + "than [--max-drop] [%.0f%%]", e.getKey(), before, live.version(), now, maxDrop * 100));
            }
        }
    }
}
