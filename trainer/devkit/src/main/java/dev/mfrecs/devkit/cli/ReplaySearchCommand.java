package dev.mfrecs.devkit.cli;

import dev.mfrecs.devkit.replay.SearchReplay;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recsys replay-search}: the personalized-search and diversity replay on the bundled Online Retail log. */
@Command(name = "replay-search", description = "Replay Online Retail purchases after a cut-off: NDCG@10 of BM25 vs mf_personalize, "
    + "and of mf_recommend with diversity (MMR) with its intra-list similarity.")
final class ReplaySearchCommand implements Callable<Integer> {

    @Option(names = "--es", description = "A running node with the plugin; default: start a local one from --es-zip/--plugin-zip.")
    String url;

    @Option(names = "--es-zip", description = "Elasticsearch distribution zip for the local node (the launcher passes it).")
    Path esZip;

    @Option(names = "--plugin-zip", description = "Plugin zip to install into the local node (the launcher passes it).")
    Path pluginZip;

    @Option(names = "--data", required = true, description = "The Online Retail CSV (gzip).")
    Path data;

    @Option(names = "--cutoff", defaultValue = "2011-11-01", description = "Train on purchases before this ISO date, replay the rest.")
    String cutoff;

    @Option(names = "--queries", defaultValue = "heart,bag,christmas,candle,cake,vintage,light,box", split = ",", description = "Search "
        + "terms replayed, comma separated.")
    List<String> queries;

    @Option(names = "--weights", defaultValue = "0.25,0.5,0.75", split = ",", description = "mf_personalize weights measured.")
    List<Float> weights;

    @Option(names = "--lambdas", defaultValue = "1.0,0.8,0.6", split = ",", description = "Diversity lambdas measured (1: none).")
    List<Float> lambdas;

    @Option(names = "--window", defaultValue = "100", description = "mf_personalize's window_size.")
    int window;

    @Option(names = "--factors", defaultValue = "64", description = "Latent factors of the replayed model.")
    int factors;

    @Override
    public Integer call() throws Exception {
        if (url == null && (esZip == null || pluginZip == null)) {
            throw new IllegalArgumentException("[replay-search] needs [--es URL] or both [--es-zip] and [--plugin-zip]");
        }
        return new SearchReplay(new SearchReplay.Options(url, esZip, pluginZip, data, cutoff, queries, weights, lambdas, window, factors),
            System.out).call();
    }
}
