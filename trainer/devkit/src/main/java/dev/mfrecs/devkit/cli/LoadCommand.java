package dev.mfrecs.devkit.cli;

import dev.mfrecs.devkit.bench.QueryLoad;
import dev.mfrecs.trainer.cli.CommandLines;
import dev.mfrecs.trainer.cli.ConnectionOptions;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code recsys load}: measures {@code mf_recommend} latency and throughput against a running cluster, so the figures
 * in the README can be reproduced on any node (for example the one {@code ./recsys demo --keep-running} leaves up).
 */
@Command(name = "load", description = "Send concurrent mf_recommend requests (stored users and 3-item histories); print p50/p95/p99 "
    + "latency and throughput.")
final class LoadCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--model", defaultValue = "retail", description = "Model name.")
    String model;

    @Option(names = "--clients", defaultValue = "8", description = "Concurrent clients, each waiting for its answer.")
    int clients;

    @Option(names = "--requests", defaultValue = "2000", description = "Measured requests, half stored users, half histories.")
    int requests;

    @Option(names = "--warmup", defaultValue = "200", description = "Requests sent first and not measured.")
    int warmup;

    @Option(names = "--k", defaultValue = "10", description = "Recommendations per request.")
    int k;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for picking users and items.")
    long seed;

    @Override
    public Integer call() throws Exception {
        QueryLoad load = new QueryLoad(connection.connection(), System.out);
        QueryLoad.Result result = load.run(new QueryLoad.Params(model, clients, requests, warmup, k, seed));
        load.print(result);
        return result.errors() == 0 ? 0 : CommandLines.EXIT_FAILED;
    }
}
