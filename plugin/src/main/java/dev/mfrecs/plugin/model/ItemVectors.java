package dev.mfrecs.plugin.model;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.client.internal.Client;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the vectors of named items of one model version with one asynchronous read ({@link ItemVectorReads}), failing
 * with 404 naming every item the model does not know. Used by similar-items queries and explanations.
 */
public final class ItemVectors {

    private ItemVectors() {}

    /** Calls back with the vectors, flat in the order of {@code items}. */
    public static void read(Client client, ModelMetadata model, List<String> items, ActionListener<float[]> listener) {
        ItemVectorReads.read(client, model.itemsIndex(), items, listener.delegateFailureAndWrap((l, found) -> {
            int d = model.vectorDims();
            float[] out = new float[items.size() * d];
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                float[] v = found.vectors().get(items.get(i));
                if (v == null || v.length != d) {
                    missing.add(items.get(i));
                } else {
                    System.arraycopy(v, 0, out, i * d, d);
                }
            }
            if (missing.isEmpty() == false) {
                l.onFailure(new ResourceNotFoundException("items {} not found in model [{}] version [{}]", missing, model.model(),
                    model.version()));
                return;
            }
            l.onResponse(out);
        }));
    }
}
