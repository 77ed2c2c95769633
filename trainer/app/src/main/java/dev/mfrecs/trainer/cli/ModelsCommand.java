package dev.mfrecs.trainer.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.contract.ModelStateDocument;
import dev.mfrecs.contract.TrainingRun;
import dev.mfrecs.trainer.es.RestJson;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ModelLock;
import dev.mfrecs.trainer.publish.ModelVerifier;
import dev.mfrecs.trainer.publish.VersionManager;
import dev.mfrecs.trainer.train.RunRecorder;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mfrecs models}: inspect and manage published model versions. Every command that changes a model takes the model's
 * lock first, as a trainer does, so an operator's rollback never races a scheduled publish; model names are validated before
 * anything is sent.
 */
@Command(name = "models", description = "List, roll back, delete, unpin, unlock, verify model versions; list training runs.",
    subcommands = { ModelsCommand.ListVersions.class, ModelsCommand.Rollback.class, ModelsCommand.Unpin.class, ModelsCommand.Delete.class,
        ModelsCommand.Unlock.class, ModelsCommand.Runs.class, ModelsCommand.Verify.class })
final class ModelsCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    /** The options every models subcommand shares: the cluster and the model. */
    static class ModelOptions {
        @Mixin
        ConnectionOptions connection = new ConnectionOptions();

        @Parameters(index = "0", paramLabel = "MODEL", description = "Model name ([a-z0-9][a-z0-9_]{0,63}).")
        String model;

        String model() {
            String invalid = ModelIndices.validateModelName(model);
            if (invalid != null) {
                throw new IllegalArgumentException(invalid);
            }
            return model;
        }
    }

    /** {@code models list}: every version, the live and the pinned one marked, the pin and the lock. */
    @Command(name = "list", description = "List the versions of a model: * marks the live one, P a version pinned by a rollback.")
    static final class ListVersions extends ModelOptions implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            String name = model();
            try (ElasticsearchClient client = connection.connection().client()) {
                VersionManager versions = new VersionManager(client, ProgressLog.stderr());
                int live = versions.liveVersion(name);
                ModelStateDocument state = versions.state(name).document();
                for (ModelMetadata v : versions.versions(name)) {
                    System.out.printf(Locale.ROOT, "%s%s v%-4d %-5s d=%-4d users=%-8d items=%-8d events=%-10d created=%s%n",
                        v.version() == live ? "*" : " ", state.pinnedVersion() != null && state.pinnedVersion() == v.version() ? "P" : " ",
                        v.version(), v.algorithm().id(), v.factors(), v.userCount(), v.itemCount(), v.training().eventCount(),
                        v.training().created());
                }
                if (state.pinnedVersion() != null) {
                    System.out.println("pinned to v" + state.pinnedVersion() + " by " + state.pinnedBy() + " at " + state.pinnedAt()
                        + ": scheduled runs train but do not publish until 'models unpin " + name + "'");
                }
                ModelLock.current(client, name).ifPresent(l -> System.out.println("locked by " + l.owner() + " (" + l.purpose()
                    + ") until " + l.expires()));
            }
            return 0;
        }
    }

    /** {@code models rollback}: an older version live again, pinned, under the model's lock. */
    @Command(name = "rollback", description = "Make an older version live (the previous one by default) and pin it: scheduled runs "
        + "keep training but do not publish until 'models unpin'.")
    static final class Rollback extends ModelOptions implements Callable<Integer> {
        @Option(names = "--version", paramLabel = "N", description = "Version to make live (default: the newest older than the live one).")
        Integer version;

        @Override
        public Integer call() throws Exception {
            String name = model();
            try (ElasticsearchClient client = connection.connection().client();
                 ModelLock lock = ModelLock.acquire(client, name, "rollback", ModelLock.Lease.configured(), ProgressLog.stderr())) {
                int v = new VersionManager(client, ProgressLog.stderr()).rollback(name, version, "models rollback", lock);
                System.out.println("model [" + name + "] now serves version [" + v + "], pinned; run 'models unpin " + name
                    + "' to let scheduled runs publish again");
            }
            return 0;
        }
    }

    /** {@code models unpin}: lifts a rollback's pin under the model's lock. */
    @Command(name = "unpin", description = "Let scheduled runs publish again after a rollback.")
    static final class Unpin extends ModelOptions implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            String name = model();
            try (ElasticsearchClient client = connection.connection().client();
                 ModelLock lock = ModelLock.acquire(client, name, "unpin", ModelLock.Lease.configured(), ProgressLog.stderr())) {
                Integer was = new VersionManager(client, ProgressLog.stderr()).unpin(name, lock);
                System.out.println(was == null ? "model [" + name + "] was not pinned"
                    : "model [" + name + "] is no longer pinned to version [" + was + "]");
            }
            return 0;
        }
    }

    /** {@code models delete}: one version that is neither live nor pinned, under the model's lock. */
    @Command(name = "delete", description = "Delete one version that is neither live nor pinned.")
    static final class Delete extends ModelOptions implements Callable<Integer> {
        @Option(names = "--version", paramLabel = "N", required = true, description = "Version to delete.")
        int version;

        @Override
        public Integer call() throws Exception {
            String name = model();
            try (ElasticsearchClient client = connection.connection().client();
                 ModelLock lock = ModelLock.acquire(client, name, "delete", ModelLock.Lease.configured(), ProgressLog.stderr())) {
                new VersionManager(client, ProgressLog.stderr()).deleteVersion(name, version, lock);
                System.out.println("deleted model [" + name + "] version [" + version + "]");
            }
            return 0;
        }
    }

    /** {@code models unlock}: removes a model's lock whoever holds it, for a holder that died. */
    @Command(name = "unlock", description = "Remove a model's lock whoever holds it: for a trainer that died (a lock also expires by "
        + "itself two minutes after its holder stopped renewing it). Do not use while a run is alive.")
    static final class Unlock extends ModelOptions implements Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            String name = model();
            try (ElasticsearchClient client = connection.connection().client()) {
                var removed = ModelLock.forceUnlock(client, name);
                System.out.println(removed.map(l -> "removed the lock of model [" + name + "] held by [" + l.owner() + "] (" + l.purpose()
                    + ") until [" + l.expires() + "]").orElse("model [" + name + "] was not locked"));
            }
            return 0;
        }
    }

    /** {@code models runs}: the model's training run records, newest first. */
    @Command(name = "runs", description = "List a model's training runs, newest first: outcome, version, counts, timings, error.")
    static final class Runs extends ModelOptions implements Callable<Integer> {
        @Option(names = "--size", defaultValue = "20", description = "How many runs to list.")
        int size;

        @Override
        public Integer call() throws Exception {
            String name = model();
            try (ElasticsearchClient client = connection.connection().client()) {
                List<TrainingRun> runs = RunRecorder.recent(client, name, size);
                for (TrainingRun r : runs) {
                    System.out.printf(Locale.ROOT, "%s %-9s %s %s events=%s invalid=%s total=%.1fs%s%s%n", r.started(), r.outcome().id(),
                        r.version() == null ? "-" : "v" + r.version(), r.host(), r.counts().getOrDefault("events_read", 0L),
                        r.counts().getOrDefault("events_invalid", 0L), r.seconds().getOrDefault("total", 0.0),
                        r.gate().isEmpty() ? "" : " gate=" + r.gate(), r.error() == null ? "" : " error: " + r.error());
                }
                if (runs.isEmpty()) {
                    System.out.println("no runs recorded for model [" + name + "]");
                }
            }
            return 0;
        }
    }

    /** {@code models verify}: the live model checked against its data through the plugin. */
    @Command(name = "verify", description = "Check the live model against its data through the plugin: the fold-in of sampled trained "
        + "users from their events must equal their stored vectors, and explanations must add up to the stored scores.")
    static final class Verify extends ModelOptions implements Callable<Integer> {
        @Option(names = "--users", defaultValue = "50", description = "Trained users to check.")
        int users;

        @Option(names = "--items", defaultValue = "3", description = "Items to explain per user.")
        int items;

        @Option(names = "--min-cosine", defaultValue = "0.9999", description = "Lowest acceptable cosine.")
        double minCosine;

        @Override
        public Integer call() throws Exception {
            String name = model();
            var c = connection.connection();
            ModelVerifier.Report report = new ModelVerifier(new RestJson(c.url().toString(), c.authorizationHeader())).verify(name, users,
                items);
            System.out.println("model [" + name + "]: " + report);
            return report.passes(minCosine, 1e-3) ? 0 : CommandLines.EXIT_FAILED;
        }
    }

}
