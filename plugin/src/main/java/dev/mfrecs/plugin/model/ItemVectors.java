package dev.mfrecs.plugin.model;

import dev.mfrecs.mappings.ModelIndices;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.get.MultiGetItemResponse;
import org.elasticsearch.action.get.MultiGetRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.search.fetch.subphase.FetchSourceContext;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the vectors of named items of one model version with one asynchronous multi-get, failing with 404 naming every
 * item the model does not know. Used by similar-items queries and explanations.
 */
public final class ItemVectors {

    private ItemVectors() {}

    /** Calls back with the vectors, flat in the order of {@code items}. */
    public static void read(Client client, ModelMetadata model, List<String> items, ActionListener<float[]> listener) {
        MultiGetRequest mget = new MultiGetRequest();
        FetchSourceContext vectorOnly = FetchSourceContext.of(true, new String[] { ModelIndices.VECTOR }, null);
        for (String item : items) {
            mget.add(new MultiGetRequest.Item(model.itemsIndex(), item).fetchSourceContext(vectorOnly));
        }
        client.multiGet(mget, listener.delegateFailureAndWrap((l, response) -> {
            int d = model.vectorDims();
            float[] out = new float[items.size() * d];
            List<String> missing = new ArrayList<>();
            MultiGetItemResponse[] responses = response.getResponses();
            for (int i = 0; i < responses.length; i++) {
                MultiGetItemResponse r = responses[i];
                if (r.isFailed()) {
                    l.onFailure(r.getFailure().getFailure());
                    return;
                }
                float[] v = r.getResponse().isExists() ? UserVectorResolver.floats(r.getResponse().getSourceAsMap().get(ModelIndices.VECTOR))
                    : null;
                if (v == null || v.length != d) {
                    missing.add(r.getId());
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
