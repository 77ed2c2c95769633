package dev.mfrecs.trainer.publish;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.trainer.es.RestJson;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Checks a live model against its data through the plugin, as a query would see it: for a sample of trained users, the
 * plugin's fold-in of the user's events read from the interactions index with the model's recipe
 * ({@code _fold_in} with {@code "source": "interactions"}) must point the same way as the stored vector (cosine), and the
 * plugin's explanation of a score ({@code _explain}) must add up to the dot product of the stored vectors. This is what
 * catches a trainer and the plugin reading events differently (weights, decay, window, query, duplicates, binarization).
 * Runs as the caller through the plugin's REST API.
 */
public final class ModelVerifier {

    /** What a check found: the users checked, the worst cosine and the user it belongs to, and the worst explanation error. */
    public record Report(int users, double minCosine, String worstUser, double maxExplainError, int explained) {
        public boolean passes(double cosineAtLeast, double explainErrorAtMost) {
            return users > 0 && minCosine >= cosineAtLeast && maxExplainError <= explainErrorAtMost;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d users: min cosine %.6f (user [%s]), %d explanations: max |score - dot| %.3g", users,
                minCosine, worstUser, explained, maxExplainError);
        }
    }

    private final RestJson rest;

    public ModelVerifier(RestJson rest) {
        this.rest = rest;
    }

    /** Checks up to {@code sample} stored users of {@code model} (in id order), explaining {@code items} items for each. */
    public Report verify(String model, int sample, int items) throws IOException {
        JsonNode users = rest.postOk("/" + ModelIndices.usersAlias(model) + "/_search", "{\"size\": " + sample
            + ", \"sort\": [{\"user_id\": \"asc\"}], \"_source\": [\"user_id\", \"vector\"]}").path("hits").path("hits");
        JsonNode itemHits = rest.postOk("/" + ModelIndices.itemsAlias(model) + "/_search", "{\"size\": " + items
            + ", \"sort\": [{\"item_id\": \"asc\"}], \"_source\": [\"item_id\", \"vector\"]}").path("hits").path("hits");
        List<String> itemIds = new ArrayList<>();
        List<float[]> itemVectors = new ArrayList<>();
        for (JsonNode hit : itemHits) {
            itemIds.add(hit.path("_source").path("item_id").asText());
            itemVectors.add(floats(hit.path("_source").path("vector")));
        }
        double minCosine = Double.POSITIVE_INFINITY;
        String worst = null;
        double maxError = 0;
        int explained = 0;
        int checked = 0;
        for (JsonNode hit : users) {
            String user = hit.path("_source").path("user_id").asText();
            float[] stored = floats(hit.path("_source").path("vector"));
            JsonNode folded = rest.postOk("/_mf/model/" + model + "/_fold_in", "{\"user\": " + RestJson.JSON.writeValueAsString(user)
                + ", \"source\": \"interactions\"}");
            double cosine = cosine(stored, floats(folded.path("vector")));
            if (cosine < minCosine) {
                minCosine = cosine;
                worst = user;
            }
            for (int i = 0; i < itemIds.size(); i++) {
                JsonNode explanation = rest.postOk("/_mf/model/" + model + "/_explain", "{\"user\": " + RestJson.JSON.writeValueAsString(
                    user) + ", \"item\": " + RestJson.JSON.writeValueAsString(itemIds.get(i)) + "}");
                double dot = dot(stored, itemVectors.get(i));
                double error = Math.abs(explanation.path("score").asDouble() - dot) / Math.max(1, Math.abs(dot));
                maxError = Math.max(maxError, error);
                explained++;
            }
            checked++;
        }
        return new Report(checked, checked == 0 ? Double.NaN : minCosine, worst, maxError, explained);
    }

    static float[] floats(JsonNode array) {
        float[] out = new float[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) array.path(i).asDouble();
        }
        return out;
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            return -1;
        }
        double na = Math.sqrt(dot(a, a));
        double nb = Math.sqrt(dot(b, b));
        return na == 0 || nb == 0 ? (na == nb ? 1 : 0) : dot(a, b) / (na * nb);
    }
}
