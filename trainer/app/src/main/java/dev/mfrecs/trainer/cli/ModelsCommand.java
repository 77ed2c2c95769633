package dev.mfrecs.trainer.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelPublisher;

import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code recsys models list|rollback|delete}: inspect and manage published model versions. */
@Command(name = "models", description = "List, roll back or delete model versions.",
    subcommands = { ModelsCommand.ListVersions.class, ModelsCommand.Rollback.class, ModelsCommand.Delete.class })
final class ModelsCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "list", description = "List the versions of a model; * marks the live one.")
    static final class ListVersions implements Callable<Integer> {
        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Parameters(index = "0", description = "Model name.")
        String model;

        @Override
        public Integer call() throws Exception {
            try (ElasticsearchClient client = connection.connection().client()) {
                ModelPublisher p = new ModelPublisher(client, ProgressLog.stderr());
                int live = p.liveVersion(model);
                for (Map<String, Object> v : p.versions(model)) {
                    int version = ((Number) v.get("version")).intValue();
                    System.out.printf(java.util.Locale.ROOT, "%s v%-4d %-6s d=%-4s users=%-8s items=%-8s created=%s%n",
                        version == live ? "*" : " ", version, v.get("algorithm"), v.get("factors"), v.get("user_count"),
                        v.get("item_count"), v.get("created"));
                }
            }
            return 0;
        }
    }

    @Command(name = "rollback", description = "Make an older version live (the previous one by default).")
    static final class Rollback implements Callable<Integer> {
        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Parameters(index = "0")
        String model;

        @Option(names = "--to", description = "Version to make live.")
        Integer to;

        @Override
        public Integer call() throws Exception {
            try (ElasticsearchClient client = connection.connection().client()) {
                int v = new ModelPublisher(client, ProgressLog.stderr()).rollback(model, to);
                System.out.println("model [" + model + "] now serves version [" + v + "]");
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete one version that is not live.")
    static final class Delete implements Callable<Integer> {
        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Parameters(index = "0")
        String model;

        @Option(names = "--version", required = true)
        int version;

        @Override
        public Integer call() throws Exception {
            try (ElasticsearchClient client = connection.connection().client()) {
                new ModelPublisher(client, ProgressLog.stderr()).deleteVersion(model, version);
                System.out.println("deleted model [" + model + "] version [" + version + "]");
            }
            return 0;
        }
    }
}
