package dev.mfrecs.trainer.train;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.es.InteractionFields;
import dev.mfrecs.trainer.es.InteractionReader;
import dev.mfrecs.trainer.node.ProgressLog;
import dev.mfrecs.trainer.publish.CatalogSource;
import dev.mfrecs.trainer.publish.ModelArtifacts;
import dev.mfrecs.trainer.publish.ModelPublisher;

import java.io.IOException;
import java.util.Map;

/**
 * One training run against a cluster, the unit the CLI, the scheduler and the demo all execute: read the interactions
 * index, train, publish a new version, swap the aliases.
 */
public record TrainJob(
    String model,
    InteractionFields fields,
    ImplicitAlsParams params,
    int minPerUser,
    int minPerItem,
    CatalogSource catalog,
    int keep
) {

    /** Runs the job; returns the published version. */
    public int run(ElasticsearchClient client, ProgressLog log) throws IOException {
        InteractionMatrix data = new InteractionReader(client, fields, null, null, null).read(minPerUser, minPerItem, log);
        if (data.userItems().nnz() == 0) {
            throw new IllegalStateException("no positive interactions in [" + fields.index() + "]; nothing to train");
        }
        ModelArtifacts artifacts = ImplicitTrainer.train(model, data, params, Map.of("interactions", fields.toMetadata()), log);
        return new ModelPublisher(client, log).publish(artifacts, catalog, keep);
    }
}
