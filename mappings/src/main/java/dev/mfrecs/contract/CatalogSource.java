package dev.mfrecs.contract;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A catalog index whose documents (id = item id) carry attributes worth copying onto item vectors so kNN queries can filter on
 * them (category, price, stock, country...); {@code fields} empty means every field. Recorded in the model's metadata, so that
 * items added between trainings get the same attributes.
 */
public record CatalogSource(String index, List<String> fields) {

    private static final String INDEX = "index";
    private static final String FIELDS = "fields";

    public CatalogSource {
        if (index == null || index.isBlank()) {
            throw new IllegalArgumentException("a catalog needs an [index]");
        }
        fields = fields == null ? List.of() : List.copyOf(fields);
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(INDEX, index);
        m.put(FIELDS, fields);
        return m;
    }

    static CatalogSource read(MetadataReader r) {
        CatalogSource c = new CatalogSource(r.string(INDEX), r.strings(FIELDS));
        r.done();
        return c;
    }
}
