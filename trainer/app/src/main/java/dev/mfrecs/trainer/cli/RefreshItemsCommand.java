package dev.mfrecs.trainer.cli;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.transport.rest5_client.low_level.Rest5Client;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.ItemRefresher;
import dev.mfrecs.trainer.publish.ModelLock;
import dev.mfrecs.trainer.train.Schedule;

import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code mfrecs refresh-items}: gives items added since the live model was trained a vector from the stored users who interacted
 * with them, without retraining; once, or forever every {@code --every}.
 */
@Command(name = "refresh-items", description = "Give items with events since the live model's cut-off a vector from the stored users "
    + "who touched them (the plugin's item fold-in), written into the live items index; trained items are not changed.")
final class RefreshItemsCommand implements Callable<Integer> {

    @Mixin
    ConnectionOptions connection = new ConnectionOptions();

    @Option(names = "--model", required = true, description = "Model name.")
    String model;

    @Option(names = "--every", description = "Run forever, every interval (e.g. 10m, PT10M). Default: once.")
    String every;

    @Option(names = "--max-items", defaultValue = "10000", description = "The most items one run folds in.")
    int maxItems;

    @Override
    public Integer call() throws Exception {
        String invalid = ModelIndices.validateModelName(model);
        if (invalid != null) {
            throw new IllegalArgumentException(invalid);
        }
        Duration interval = every == null ? null : Schedule.every(every).interval();
        EsConnection c = connection.connection();
        ProgressLog log = ProgressLog.stderr();
        try (ElasticsearchClient client = c.client(); Rest5Client rest = c.lowLevelClient()) {
            ItemRefresher refresher = new ItemRefresher(client, rest, log);
            while (true) {
                try (ModelLock lock = ModelLock.acquire(client, model, "refresh-items", ModelLock.Lease.DEFAULT, log)) {
                    ItemRefresher.Refreshed r = refresher.refresh(model, lock, maxItems);
                    System.out.println("model [" + model + "]: " + r.written() + " new item vectors (" + r.candidates() + " candidates, "
                        + r.unsolved() + " without stored users)");
                } catch (ModelLock.HeldException e) {
                    if (interval == null) {
                        throw e;
                    }
                    log.step("skipped: " + e.getMessage());
                }
                if (interval == null) {
                    return 0;
                }
                Thread.sleep(interval.toMillis());
            }
        }
    }
}
