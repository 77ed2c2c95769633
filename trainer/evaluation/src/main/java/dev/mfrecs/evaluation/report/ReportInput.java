package dev.mfrecs.evaluation.report;

import dev.mfrecs.evaluation.Interactions;

import java.util.function.Function;

/**
 * What the report is drawn from, independent of where it came from (the Online Retail log or synthetic test data).
 *
 * @param title        the dataset's name in the page heading
 * @param data         the implicit interactions every ranking section uses
 * @param labelOf      an item's display label from its external id (e.g. the product description)
 * @param categoryOf   an item's category from its external id, coloring the PCA plot
 * @param categoryNote how the category was derived (printed under the plot)
 * @param ratings      the explicit ratings the item-bias section trains explicit ALS on (own dictionaries, same external item ids)
 * @param ratingsNote  how the ratings were derived (printed in that section)
 */
public record ReportInput(String title, Interactions data, Function<String, String> labelOf, Function<String, String> categoryOf,
                          String categoryNote, Interactions ratings, String ratingsNote) {}
