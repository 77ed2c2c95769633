package dev.mfrecs.devkit.cli;

import dev.mfrecs.devkit.replay.FreshnessReplay;
import dev.mfrecs.factorization.Confidence;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.factorization.Solver;
import dev.mfrecs.trainer.log.ProgressLog;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code mfrecs-dev replay}: the freshness replay on the bundled Online Retail log ({@link FreshnessReplay}); prints Markdown. */
@Command(name = "replay", description = "Replay the Online Retail log after a cut-off: HR@10/NDCG@10 with fresh on and off and new items "
    + "refreshed daily or not, and provisional vectors of products held out of training from their catalog attributes.")
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--data", defaultValue = "trainer/demo-data/online-retail/online_retail.csv.gz",
        description = "The Online Retail CSV.")
    Path data;

    @Option(names = "--cutoff", defaultValue = "2011-11-15T00:00:00Z", description = "Train on purchases before this "
        + "instant.")
    Instant cutoff;

    @Option(names = "--days", defaultValue = "24", description = "Days replayed after the cut-off.")
    int days;

    @Option(names = "--sample-every", defaultValue = "2", description = "Score every n-th eligible purchase.")
    int sampleEvery;

    @Option(names = "--factors", defaultValue = "64", description = "Latent factors.")
    int factors;

    @Option(names = "--threads", defaultValue = "2", description = "Training threads.")
    int threads;

    @Override
    public Integer call() throws Exception {
        ImplicitAlsParams params = new ImplicitAlsParams(factors, 15, 0.1f, Confidence.linear(10f), Solver.CG, 3, 42L, threads);
        for (String line : new FreshnessReplay(params, ProgressLog.stderr()).run(data, cutoff, days, Math.max(1, sampleEvery))) {
            System.out.println(line);
        }
        return 0;
    }
}
