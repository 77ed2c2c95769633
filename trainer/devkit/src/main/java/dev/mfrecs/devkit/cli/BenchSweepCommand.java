package dev.mfrecs.devkit.cli;

import dev.mfrecs.devkit.bench.ServingSweep;
import dev.mfrecs.devkit.bench.SweepGrid;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code recsys bench-sweep}: recall@10 and latency of kNN index configurations and num_candidates on a real node, the curve
 * the defaults ({@code item-vectors.json}'s index options, the plugin's num_candidates) are chosen from.
 */
@Command(name = "bench-sweep", description = "Sweep kNN index options and num_candidates on a real node: recall@10 against the exact "
    + "top 10, p50/p99 of mf_recommend, index size; one published version per configuration and dimension.")
final class BenchSweepCommand implements Callable<Integer> {

    @Option(names = "--es", description = "A running node with the plugin; default: start a local one from --es-zip/--plugin-zip.")
    String url;

    @Option(names = "--es-zip", description = "Elasticsearch distribution zip for the local node (the launcher passes it).")
    Path esZip;

    @Option(names = "--plugin-zip", description = "Plugin zip to install into the local node (the launcher passes it).")
    Path pluginZip;

    @Option(names = "--items", defaultValue = "100000", description = "Items of the synthetic model.")
    int items;

    @Option(names = "--dims", defaultValue = "64,128", split = ",", description = "Vector dimensions to measure, one model each.")
    int[] dims;

    @Option(names = "--index-options", split = ",", defaultValue = "hnsw:m=16:ef_construction=100,hnsw:m=16:ef_construction=200,"
        + "hnsw:m=32:ef_construction=100,hnsw:m=32:ef_construction=200,int8_hnsw:m=16:ef_construction=200:oversample=3,"
        + "bbq_hnsw:m=16:ef_construction=200:oversample=3",
        description = "Index configurations, comma-separated, each type[:m=N][:ef_construction=N][:oversample=X] (as train "
            + "--index-options); one published version each; the first (item-vectors.json's) is the baseline.")
    String[] indexOptions;

    @Option(names = "--num-candidates", defaultValue = "50,100,200,400", split = ",", description = "num_candidates values each "
        + "configuration is searched at.")
    int[] numCandidates;

    @Option(names = "--baseline-num-candidates", defaultValue = "200", description = "The first configuration's num_candidates every "
        + "p50 is divided by (the plugin's default); one of --num-candidates.")
    int baseline;

    @Option(names = "--queries", defaultValue = "400", description = "Measured requests per point (configuration, num_candidates).")
    int queries;

    @Option(names = "--clients", defaultValue = "2", description = "Concurrent clients, each waiting for its answer.")
    int clients;

    @Option(names = "--recall-users", defaultValue = "200", description = "Users whose top 10 is compared with the exact one.")
    int recallUsers;

    @Option(names = "--target-recall", defaultValue = "0.98", description = "Recall@10 the summary line looks for the fastest point at.")
    double targetRecall;

    @Override
    public Integer call() throws Exception {
        if (url == null && (esZip == null || pluginZip == null)) {
            throw new IllegalArgumentException("[bench-sweep] needs [--es URL] or both [--es-zip] and [--plugin-zip]");
        }
        if ((targetRecall > 0 && targetRecall <= 1) == false) {
            throw new IllegalArgumentException("[--target-recall] must be in (0, 1], got [" + targetRecall + "]");
        }
        SweepGrid grid = SweepGrid.of(items, dims, indexOptions, numCandidates, baseline, queries, clients, recallUsers);
        return new ServingSweep(url, esZip, pluginZip, grid, targetRecall, System.out).call();
    }
}
