package dev.mfrecs.devkit.cli;

import dev.mfrecs.devkit.bench.ServingBenchmark;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recsys bench-serving}: the serving benchmark (personalized vs plain kNN, fold-in, HNSW recall). */
@Command(name = "bench-serving", description = "Benchmark serving on a real node: mf_recommend vs plain knn, fold-in, HNSW recall@10.")
final class BenchServingCommand implements Callable<Integer> {

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

    @Option(names = "--queries", defaultValue = "2000", description = "Measured requests per search kind.")
    int queries;

    @Option(names = "--clients", defaultValue = "2", description = "Concurrent clients, each waiting for its answer.")
    int clients;

    @Option(names = "--force-merge", description = "Publish with train's --force-merge (each version merged to one segment).")
    boolean forceMerge;

    @Option(names = "--num-candidates", defaultValue = "200", description = "num_candidates of every measured kNN search (the plugin's "
        + "default).")
    int numCandidates;

    @Option(names = "--personalize", description = "Also measure an mf_personalize rescore of a 100-hit window against the query alone.")
    boolean personalize;

    @Override
    public Integer call() throws Exception {
        if (url == null && (esZip == null || pluginZip == null)) {
            throw new IllegalArgumentException("[bench-serving] needs [--es URL] or both [--es-zip] and [--plugin-zip]");
        }
        return new ServingBenchmark(url, esZip, pluginZip, items, dims, queries, clients, forceMerge, numCandidates, personalize,
            System.out).call();
    }
}
