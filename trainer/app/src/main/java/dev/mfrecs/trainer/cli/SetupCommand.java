package dev.mfrecs.trainer.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.trainer.MfrecsVersion;
import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.VersionManager;
import dev.mfrecs.trainer.setup.ClusterSetup;
import dev.mfrecs.trainer.train.Schedule;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mfrecs setup}: prepares a cluster for mfrecs, idempotently, and checks it: the interactions index template, the hidden
 * metadata and run-record indices, optionally an interactions data stream with an ILM policy, and the plugin on every node at
 * this trainer's version. Exits 4 naming the nodes whose plugin is missing or of another version (after installing the rest).
 */
@Command(name = "setup", description = "Install what a cluster needs (index templates, the hidden mf-models and mf-training-runs "
    + "indices, optionally an interactions data stream with an ILM policy) and check that every node runs the plugin at this "
    + "version. Safe to run again.")
final class SetupCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--interactions-template", negatable = true, defaultValue = "true", fallbackValue = "true",
        description = "Install the index template for interactions* indices (user_id, item_id, event_type, value, timestamp).")
    boolean interactionsTemplate;

    @Option(names = "--data-stream", paramLabel = "NAME", description = "Also create a data stream NAME for interaction events (time "
        + "field @timestamp) with an ILM policy; train from it with --index NAME --timestamp-field @timestamp.")
    String dataStream;

    @Option(names = "--retention", paramLabel = "DURATION", defaultValue = "365d", description = "With --data-stream: delete events "
        + "this long after their index rolled over (90d, P365D...).")
    String retention;

    @Option(names = "--rollover-age", paramLabel = "DURATION", defaultValue = "30d", description = "With --data-stream: roll the "
        + "write index over at this age (or at 50 GB per primary shard).")
    String rolloverAge;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Duration keep = Schedule.parseDuration("--retention", retention);
        Duration rollover = Schedule.parseDuration("--rollover-age", rolloverAge);
        if (dataStream != null) {
            String invalid = dataStreamName(dataStream);
            if (invalid != null) {
                throw new IllegalArgumentException(invalid);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        ProgressLog log = ProgressLog.stderr();
        EsConnection es = connection.connection();
        ClusterSetup.PluginCheck check;
        try (Rest5Client low = es.lowLevelClient(); ElasticsearchClient client = es.client()) {
            ClusterSetup setup = new ClusterSetup(low);
            check = setup.checkPlugin(MfrecsVersion.get());
            log.step("checked the plugin on " + check.nodes().size() + " node(s)");
            new VersionManager(client, log).ensureIndices();
            out.println("indices: [" + ModelIndices.METADATA_INDEX + "] and [" + ModelIndices.RUNS_INDEX + "] (hidden) are in place");
            if (interactionsTemplate) {
                setup.putInteractionsTemplate();
                out.println("index template: [" + ClusterSetup.INTERACTIONS_TEMPLATE + "] for interactions* indices");
            }
            if (dataStream != null) {
                ClusterSetup.DataStreamResult r = setup.dataStream(dataStream, keep, rollover);
                out.println("data stream: [" + r.name() + "] (template [" + r.template() + "]" + (r.ilmAvailable() ? ", ILM policy ["
                    + r.policy() + "]: roll over at " + rolloverAge + " or 50gb, delete " + retention + " after rollover"
                    : "; this cluster has no ILM, so no lifecycle policy: delete old backing indices yourself") + ")"
                    + (r.created() ? ", created" : ", created on the first event written if it does not exist yet"));
                out.println("train from it with: mfrecs train --index " + r.name() + " --timestamp-field @timestamp ...");
            }
        }
        for (String line : check.describe()) {
            out.println(line);
        }
        out.flush();
        if (check.ok() == false) {
            throw new SetupIncompleteException(check.problems().size() + " of " + check.nodes().size() + " node(s) do not run "
                + ClusterSetup.PLUGIN_NAME + " " + check.expectedVersion() + ": " + check.problems().stream().map(
                    ClusterSetup.NodePlugin::name).toList() + "; install it on every node (bin/elasticsearch-plugin install "
                + "file:///path/to/the.zip) and restart them one at a time, then run setup again");
        }
        out.println("setup complete: every node runs " + ClusterSetup.PLUGIN_NAME + " " + check.expectedVersion());
        return 0;
    }

    /** Null when {@code name} can be a data stream name, otherwise why not. */
    static String dataStreamName(String name) {
        if (name.matches("[a-z0-9][a-z0-9._-]{0,200}") == false || name.startsWith(".")) {
            return "[--data-stream] [" + name + "] must be a lowercase index name (a-z, 0-9, '.', '_', '-')";
        }
        return null;
    }

    /** Setup installed what it could, but the cluster is not ready: exit code 4. */
    static final class SetupIncompleteException extends IllegalStateException {
        SetupIncompleteException(String message) {
            super(message);
        }
    }
}
