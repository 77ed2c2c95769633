package dev.mfrecs.trainer.publish;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.MgetResponse;

import dev.mfrecs.contract.CatalogSource;

import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads items' attributes from a catalog index (document id = item id), keeping the catalog's configured fields: what item
 * vectors carry for filtering, and what the attribute regression learns from. One place, because publishing, refreshing items
 * and training the regression all read it the same way.
 */
public final class CatalogReader {

    static final int BATCH = 1_000;

    private CatalogReader() {}

    /** Item id to attributes for the {@code ids} the catalog has; ids it lacks are left out. */
    @SuppressWarnings({ "rawtypes", "unchecked" })
    public static Map<String, Map<String, Object>> read(ElasticsearchClient client, CatalogSource catalog, List<String> ids)
        throws IOException {
        Map<String, Map<String, Object>> out = new HashMap<>();
        for (int start = 0; start < ids.size(); start += BATCH) {
            List<String> batch = ids.subList(start, Math.min(ids.size(), start + BATCH));
            MgetResponse<Map> response = client.mget(m -> m.index(catalog.index()).ids(batch), Map.class);
            for (var doc : response.docs()) {
                if (doc.isResult() && doc.result().found() && doc.result().source() != null) {
                    Map<String, Object> src = new LinkedHashMap<>((Map<String, Object>) doc.result().source());
                    if (catalog.fields().isEmpty() == false) {
                        src.keySet().retainAll(catalog.fields());
                    }
                    out.put(doc.result().id(), src);
                }
            }
        }
        return out;
    }
}
