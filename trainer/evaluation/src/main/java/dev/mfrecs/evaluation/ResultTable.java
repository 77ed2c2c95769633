package dev.mfrecs.evaluation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Formats results as a fixed-width text table (the {@code evaluate} output): one row per model, one column per metric. */
final class ResultTable {

    private ResultTable() {}

    static String format(List<EvalResult> results) {
        if (results.isEmpty()) {
            return "";
        }
        List<String> metrics = new ArrayList<>(results.get(0).metrics().keySet());
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-12s", "model"));
        for (String m : metrics) {
            sb.append(String.format(Locale.ROOT, " %12s", m));
        }
        sb.append(String.format(Locale.ROOT, " %10s %8s%n", "train_s", "users"));
        for (EvalResult r : results) {
            sb.append(String.format(Locale.ROOT, "%-12s", r.model()));
            for (String m : metrics) {
                Double v = r.metrics().get(m);
                sb.append(v == null ? String.format(Locale.ROOT, " %12s", "-") : String.format(Locale.ROOT, " %12.4f", v));
            }
            sb.append(String.format(Locale.ROOT, " %10.2f %8d%n", r.trainSeconds(), r.usersEvaluated()));
        }
        return sb.toString();
    }
}
