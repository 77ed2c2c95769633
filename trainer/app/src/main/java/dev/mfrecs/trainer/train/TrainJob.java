package dev.mfrecs.trainer.train;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;

import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.es.InteractionReader;
import dev.mfrecs.trainer.es.ReadPlan;
import dev.mfrecs.trainer.es.ReadPlan.Window;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.trainer.publish.CatalogSource;
import dev.mfrecs.trainer.publish.ModelArtifacts;
import dev.mfrecs.trainer.publish.ModelPublisher;
import dev.mfrecs.trainer.publish.TrainerLock;
import dev.mfrecs.trainer.settings.AlgorithmSettings;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One training run against a cluster, the unit the CLI, the scheduler and the demo all execute: check the arguments
 * against the cluster, take the model's lock, read the interactions index, train, publish a new version and swap the
 * aliases. Nothing is published when any step fails.
 */
public record TrainJob(
    String model,
    AlgorithmSettings settings,
    InteractionFields fields,
    int minPerUser,
    int minPerItem,
    CatalogSource catalog,
    int keep,
    Window window,
    boolean forceMerge
) {

    /** The largest dims a dense_vector field accepts. */
    static final int MAX_DIMS = 4096;
    static final Duration LOCK_TTL = Duration.ofHours(6);

    /** Implicit ALS with {@code params}, every event, without force-merging. */
    public TrainJob(String model, InteractionFields fields, ImplicitAlsParams params, int minPerUser, int minPerItem, CatalogSource catalog,
                    int keep) {
        this(model, AlgorithmSettings.of(params), fields, minPerUser, minPerItem, catalog, keep, Window.ALL);
    }

    /** Without force-merging the published version (see {@link ModelPublisher#withForceMerge}). */
    public TrainJob(String model, AlgorithmSettings settings, InteractionFields fields, int minPerUser, int minPerItem,
                    CatalogSource catalog, int keep, Window window) {
        this(model, settings, fields, minPerUser, minPerItem, catalog, keep, window, false);
    }

    /** The algorithm the settings are for. */
    public Algorithm algorithm() {
        return settings.algorithm();
    }

    /** Runs the job; returns the published version. */
    public int run(ElasticsearchClient client, ProgressLog log) throws IOException {
        return run(client, log, ModelPublisher.BulkListener.NONE);
    }

    public int run(ElasticsearchClient client, ProgressLog log, ModelPublisher.BulkListener bulkListener) throws IOException {
        return run(client, log, bulkListener, LOCAL);
    }

    /**
     * Reads the interactions the plan selects and trains: the part of a run a training engine replaces. Validation, the
     * plan, the lock and publishing stay in {@link TrainJob}, so a model looks the same to the plugin whichever engine trained it.
     */
    public interface Engine {
        /** The engine's name, recorded in the model's training summary. */
        String name();

        ModelArtifacts train(TrainJob job, ReadPlan plan, ElasticsearchClient client, ProgressLog log) throws IOException;
    }

    /** Reads with {@link InteractionReader} and trains in this JVM. */
    public static final Engine LOCAL = new Engine() {
        @Override
        public String name() {
            return "local";
        }

        @Override
        public ModelArtifacts train(TrainJob job, ReadPlan plan, ElasticsearchClient client, ProgressLog log) throws IOException {
            InteractionMatrix.Accumulator acc = new InteractionMatrix.Accumulator(plan.recipe().duplicates());
            new InteractionReader(client, plan).read(acc, log);
            InteractionMatrix data = acc.build(job.minPerUser(), job.minPerItem(), plan.recipe().binarizeThreshold());
            if (data.userItems().nnz() == 0) {
                throw new IllegalStateException("no positive interactions in [" + job.fields().index()
                    + "] after filtering; nothing to train");
            }
            return switch (job.settings()) {
                case AlgorithmSettings.Ials ials -> ImplicitTrainer.train(job.model(), data, ials.params(), plan.recipe(), log);
                case AlgorithmSettings.Als als -> ExplicitTrainer.train(job.model(), data, als.params(), plan.recipe(), log);
                default -> throw new IllegalArgumentException("[algorithm] [" + job.algorithm().cliName()
                    + "] cannot be published to a cluster; use ials or als");
            };
        }
    };

    /** Runs the job with {@code engine} reading and training; returns the published version. */
    public int run(ElasticsearchClient client, ProgressLog log, ModelPublisher.BulkListener bulkListener, Engine engine)
        throws IOException {
        String invalid = ModelIndices.validateModelName(model);
        if (invalid != null) {
            throw new IllegalArgumentException(invalid);
        }
        Algorithm algorithm = algorithm();
        if (algorithm != Algorithm.IALS && algorithm != Algorithm.ALS) {
            throw new IllegalArgumentException("[algorithm] [" + algorithm.cliName()
                + "] cannot be published to a cluster; use ials or als");
        }
        int dims = settings.factors() + (algorithm == Algorithm.ALS ? 1 : 0);
        if (dims > MAX_DIMS) {
            throw new IllegalArgumentException("[factors] [" + settings.factors() + "] gives vectors of [" + dims
                + "] dims, more than dense_vector allows [" + MAX_DIMS + "]");
        }
        if (algorithm == Algorithm.ALS && fields.valueField() == null) {
            throw new IllegalArgumentException("[algorithm] [als] reads ratings: set [--value-field]");
        }
        checkFields(client);
        ModelPublisher publisher = new ModelPublisher(client, log, bulkListener).withForceMerge(forceMerge);
        publisher.ensureMetadataIndex();
        try (TrainerLock lock = TrainerLock.acquire(client, model, LOCK_TTL)) {
            DuplicatePolicy duplicates = algorithm == Algorithm.ALS ? DuplicatePolicy.MEAN : DuplicatePolicy.SUM;
            ReadPlan plan = ReadPlan.of(client, fields, window, duplicates, Instant.now(), log);
            ModelArtifacts artifacts = engine.train(this, plan, client, log);
            return publisher.publish(artifacts, catalog, keep);
        }
    }

    /** Fails early, naming the field, when the index or a configured field does not exist. */
    private void checkFields(ElasticsearchClient client) throws IOException {
        List<String> required = new ArrayList<>(List.of(fields.userField(), fields.itemField()));
        if (fields.valueField() != null) {
            required.add(fields.valueField());
        }
        if (fields.weights().isEmpty() == false) {
            required.add(fields.eventField());
        }
        if (fields.halfLifeDays() > 0 || window.from() != null || window.to() != null) {
            required.add(fields.timestampField());
        }
        try {
            var caps = client.fieldCaps(f -> f.index(fields.index()).fields(required).allowNoIndices(false));
            if (caps.indices().isEmpty()) {
                throw new IllegalArgumentException("interactions index [" + fields.index() + "] not found");
            }
            for (String field : required) {
                if (caps.fields().containsKey(field) == false) {
                    throw new IllegalArgumentException("field [" + field + "] not found in interactions index [" + fields.index() + "]");
                }
            }
        } catch (ElasticsearchException e) {
            if (e.status() == 404) {
                throw new IllegalArgumentException("interactions index [" + fields.index() + "] not found", e);
            }
            throw e;
        }
    }
}
