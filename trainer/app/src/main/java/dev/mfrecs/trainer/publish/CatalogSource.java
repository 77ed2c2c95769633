package dev.mfrecs.trainer.publish;

import java.util.List;

/**
 * A catalog index whose documents (id = item id) carry attributes worth copying onto item vectors so kNN queries can
 * filter on them (category, price, stock, country...). {@code fields} empty means every field.
 */
public record CatalogSource(String index, List<String> fields) {}
