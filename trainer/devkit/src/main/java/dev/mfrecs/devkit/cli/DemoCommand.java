package dev.mfrecs.devkit.cli;

import dev.mfrecs.devkit.demo.Demo;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code recsys demo}: the end-to-end demo on a local node (the launcher passes the artifact paths). */
@Command(name = "demo", description = "Start a local Elasticsearch with the plugin, load Online Retail, train, recommend.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--es-zip", required = true, description = "The Elasticsearch distribution zip (resolved by Maven).")
    Path esZip;

    @Option(names = "--plugin-zip", required = true, description = "The plugin zip built by this project.")
    Path pluginZip;

    @Option(names = "--data", required = true, description = "The Online Retail CSV (gzip).")
    Path data;

    @Option(names = "--work-dir", defaultValue = ".recsys", description = "Where the node lives when not running as root.")
    Path workDir;

    @Option(names = "--keep-running", description = "Leave the node running and print its URL.")
    boolean keepRunning;

    @Override
    public Integer call() throws Exception {
        new Demo(System.out).run(esZip, pluginZip, data, workDir, keepRunning);
        return 0;
    }
}
