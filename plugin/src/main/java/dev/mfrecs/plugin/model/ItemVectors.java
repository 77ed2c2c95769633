package dev.mfrecs.plugin.model;

import dev.mfrecs.contract.ModelMetadata;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.core.Nullable;

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
        ItemVectorReads.read(client, model.itemsIndex(), items, listener.delegateFailureAndWrap(
            (l, found) -> ActionListener.completeWith(l, () -> flat(model, items, found))));
    }

    /** A model's live version with the vectors of named items, flat in the order of the items. */
    public record ModelAndVectors(ModelMetadata model, float[] vectors) {}

    /**
     * Resolves the model and reads the items' vectors. Inside a search on the model's live items index (see
     * {@link ModelResolver#liveItemsIndex}) both reads are sent together, the vectors from that index; otherwise the
     * vectors are read after the model resolved, from the version it resolved to.
     */
    public static void resolveAndRead(ModelResolver models, Client client, String modelName, List<String> items,
                                      @Nullable ResolvedIndices searched, ActionListener<ModelAndVectors> listener) {
        String live = ModelResolver.liveItemsIndex(searched, modelName);
        if (live == null) {
            models.resolve(client, modelName, searched, listener.delegateFailureAndWrap(
                (l, model) -> read(client, model, items, l.map(v -> new ModelAndVectors(model, v)))));
            return;
        }
        BothAnswered.<ModelMetadata, ItemVectorReads.Found, ModelAndVectors>run(
            l -> models.resolve(client, modelName, searched, l),
            l -> ItemVectorReads.read(client, live, items, l),
            listener,
            (model, found, l) -> {
                if (model.failed()) {
                    l.onFailure(model.failure());
                } else if (found.failed()) {
                    l.onFailure(found.failure());
                } else {
                    l.onResponse(new ModelAndVectors(model.value(), flat(model.value(), items, found.value())));
                }
            }
        );
    }

    private static float[] flat(ModelMetadata model, List<String> items, ItemVectorReads.Found found) {
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
            throw new ResourceNotFoundException("items {} not found in model [{}] version [{}]", missing, model.model(), model.version());
        }
        return out;
    }
}
