package dev.mfrecs.plugin;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.Gram;

import org.elasticsearch.action.bulk.BulkRequestBuilder;
import org.elasticsearch.action.support.WriteRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.xcontent.XContentHelper;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.xcontent.XContentType;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A published model whose items also carry catalog fields, for the personalized-search and business-control tests: a text
 * {@code title} from a small vocabulary (so BM25 scores differ), a numeric {@code margin}, a keyword {@code brand}, and a few
 * documents without vectors. Built through the real item-vectors template and a contract-valid metadata document.
 */
public final class PersonalizeFixture {

    public static final int D = 8;
    public static final int ITEMS = 150;
    public static final int WITHOUT_VECTOR = 5;
    static final String[] WORDS = { "red", "bag", "heart", "candle", "blue", "box", "light" };

    /** The published item factors (row i is item "i" + i) and the stored user "alice". */
    public record Published(String model, float[] items, float[] alice, List<String> aliceSeen) {
        public float[] item(int i) {
            return Arrays.copyOfRange(items, i * D, (i + 1) * D);
        }
    }

    private PersonalizeFixture() {}

    public static String title(int i) {
        return WORDS[i % WORDS.length] + " " + WORDS[(i * 3 + 1) % WORDS.length] + (i % 4 == 0 ? " bag" : "");
    }

    public static Published publish(Client client, String model, int shards) {
        Random random = new Random(model.hashCode());
        float[] items = new float[ITEMS * D];
        for (int i = 0; i < items.length; i++) {
            items[i] = (float) random.nextGaussian();
        }
        String itemsIndex = ModelIndices.itemsIndex(model, 1);
        String body = ModelIndices.template("item-vectors.json").replace("\"dims\": 0", "\"dims\": " + D);
        @SuppressWarnings("unchecked")
        Map<String, Object> mappings = (Map<String, Object>) XContentHelper.convertToMap(XContentType.JSON.xContent(), body, false)
            .get("mappings");
        client.admin().indices().prepareCreate(itemsIndex).setSettings(Settings.builder().put("index.number_of_shards", shards)
            .put("index.number_of_replicas", 1)).setMapping(mappings).get();
        String usersIndex = ModelIndices.usersIndex(model, 1);
        client.admin().indices().prepareCreate(usersIndex).setSettings(Settings.builder().put("index.number_of_shards", 1)).get();
        BulkRequestBuilder bulk = client.prepareBulk().setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE);
        for (int i = 0; i < ITEMS; i++) {
            float[] v = Arrays.copyOfRange(items, i * D, (i + 1) * D);
            Map<String, Object> doc = new HashMap<>(Map.of("item_id", "i" + i, "vector", v, "vector_cosine", v, "popularity",
                (float) (ITEMS - i), "title", title(i), "margin", 1 + (i % 5), "brand", i % 3 == 0 ? "acme" : "other"));
            bulk.add(client.prepareIndex(itemsIndex).setId("i" + i).setSource(doc));
        }
        for (int i = 0; i < WITHOUT_VECTOR; i++) {
            bulk.add(client.prepareIndex(itemsIndex).setId("nv" + i).setSource(Map.of("item_id", "nv" + i, "title", "bag " + WORDS[i],
                "margin", 1, "brand", "other")));
        }
        float[] alice = new float[D];
        for (int j = 0; j < D; j++) {
            alice[j] = (float) random.nextGaussian();
        }
        List<String> seen = List.of("i1", "i2", "i3");
        bulk.add(client.prepareIndex(usersIndex).setId("alice").setSource(Map.of("user_id", "alice", "vector", alice, "seen_items", seen,
            "seen_values", List.of(1f, 2f, 1f), "model_version", 1)));
        if (bulk.get().hasFailures()) {
            throw new IllegalStateException("bulk failed");
        }
        Map<String, Object> meta = TestModels.implicit(model, 1, Gram.compute(items, ITEMS, D), ITEMS, 0.1f, Confidence.linear(2f)).toMap();
        client.prepareIndex(ModelIndices.METADATA_INDEX).setId(ModelIndices.metadataId(model, 1)).setSource(meta)
            .setRefreshPolicy(WriteRequest.RefreshPolicy.IMMEDIATE).get();
        client.admin().indices().prepareAliases(TimeValue.THIRTY_SECONDS, TimeValue.THIRTY_SECONDS).addAlias(itemsIndex,
            ModelIndices.itemsAlias(model)).addAlias(usersIndex, ModelIndices.usersAlias(model)).get();
        return new Published(model, items, alice, seen);
    }

    public static float dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return (float) s;
    }
}
