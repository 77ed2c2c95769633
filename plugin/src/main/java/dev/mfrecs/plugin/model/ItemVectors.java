package dev.mfrecs.plugin.model;

import dev.mfrecs.contract.ModelMetadata;

import org.elasticsearch.ResourceNotFoundException;
import org.elasticsearch.action.ActionListener;
import org.elasticsearch.action.ResolvedIndices;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.core.Nullable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the vectors of named items of one model version with one asynchronous read ({@link ItemVectorReads}). An explanation
 * of an item the model does not know is a 404 naming it; similar-items queries get the known items and the unknown ones apart.
 */
public final class ItemVectors {

    private ItemVectors() {}

    /** Calls back with the vectors, flat in the order of {@code items}. */
    public static void read(Client client, ModelMetadata model, List<String> items, ActionListener<float[]> listener) {
        ItemVectorReads.read(client, model.itemsIndex(), items, listener.delegateFailureAndWrap(
            (l, found) -> ActionListener.completeWith(l, () -> {
                Known known = known(model, items, found);
                if (known.missing().isEmpty() == false) {
                    throw new ResourceNotFoundException("items {} not found in model [{}] version [{}]", known.missing(), model.model(),
                        model.version());
                }
                return known.vectors();
            })));
    }

    /** The named items the model knows, their vectors (flat, in that order), and the ones it does not know. */
    public record Known(List<String> items, float[] vectors, List<String> missing) {}

    /** A model's live version with what it knows of the named items. */
    public record ModelAndVectors(ModelMetadata model, Known known) {}

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
                (l, model) -> ItemVectorReads.read(client, model.itemsIndex(), items, l.map(found -> new ModelAndVectors(model, known(model,
                    items, found))))));
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
                    l.onResponse(new ModelAndVectors(model.value(), known(model.value(), items, found.value())));
                }
            }
        );
    }

    private static Known known(ModelMetadata model, List<String> items, ItemVectorReads.Found found) {
        int d = model.vectorDims();
        List<String> known = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        float[] out = new float[items.size() * d];
        for (String item : items) {
            float[] v = found.vectors().get(item);
            if (v == null || v.length != d) {
                missing.add(item);
            } else {
                System.arraycopy(v, 0, out, known.size() * d, d);
                known.add(item);
            }
        }
        return new Known(List.copyOf(known), Arrays.copyOf(out, known.size() * d), List.copyOf(missing));
    }
}
