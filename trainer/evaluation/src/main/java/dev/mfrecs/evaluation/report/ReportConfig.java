package dev.mfrecs.evaluation.report;

import java.util.List;

/**
 * The knobs of a report run, kept small by default so the Online Retail report finishes in about a minute on two cores.
 *
 * @param models         the models of the comparison table (leave-one-out, default parameters)
 * @param factorsGrid    iALS factors axis of the heatmap
 * @param regGrid        iALS regularization axis of the heatmap
 * @param gridIterations iALS iterations per heatmap cell
 * @param pcaItems       how many of the most popular items the PCA plot shows
 * @param seed           seed of every split and model
 * @param threads        worker threads
 */
public record ReportConfig(List<String> models, double[] factorsGrid, double[] regGrid, int gridIterations, int pcaItems, long seed,
                           int threads) {

    public ReportConfig {
        if (factorsGrid.length == 0 || regGrid.length == 0) {
            throw new IllegalArgumentException("[--factors-grid] and [--reg-grid] need at least one value each");
        }
        if (gridIterations <= 0) {
            throw new IllegalArgumentException("[--grid-iterations] must be > 0 (was [" + gridIterations + "])");
        }
        if (pcaItems < 3) {
            throw new IllegalArgumentException("[--pca-items] must be >= 3 (was [" + pcaItems + "])");
        }
    }
}
