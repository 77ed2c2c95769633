package dev.mfrecs.trainer.train;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;

import dev.mfrecs.contract.AttributeModelDocument;
import dev.mfrecs.contract.DuplicatePolicy;
import dev.mfrecs.contract.InteractionFields;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.contract.TrainingRun;
import dev.mfrecs.contract.VectorIndexOptions;
import dev.mfrecs.factorization.AttributeRegression;
import dev.mfrecs.factorization.ImplicitAlsParams;
import dev.mfrecs.trainer.FailurePoints;
import dev.mfrecs.trainer.data.InteractionMatrix;
import dev.mfrecs.trainer.es.InteractionReader;
import dev.mfrecs.trainer.es.ReadPlan;
import dev.mfrecs.trainer.es.ReadPlan.Window;
import dev.mfrecs.trainer.log.ProgressLog;
import dev.mfrecs.contract.CatalogSource;
import dev.mfrecs.trainer.publish.CatalogReader;
import dev.mfrecs.trainer.publish.ModelArtifacts;
import dev.mfrecs.trainer.publish.ModelLock;
import dev.mfrecs.trainer.publish.ModelPublisher;
import dev.mfrecs.trainer.publish.VersionManager;
import dev.mfrecs.trainer.publish.VersionWriter;
import dev.mfrecs.trainer.settings.AlgorithmSettings;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One training run against a cluster, the unit the CLI, the scheduler and the demo all execute: check the arguments against
 * the cluster, take the model's lease, refuse to publish over a rollback's pin, read the interactions index, train, check the
 * data and the publish gate, publish a new version and swap the aliases, and record the run ({@link RunRecorder}) whatever
 * happens. Nothing is published when any step before the swap fails or refuses.
 *
 * @param keep       versions to keep besides the live one and the one before it
 * @param forceMerge merge the new version's indices to one segment before the swap
 * @param safeguards the lease, the invalid-event limit and the publish gate
 * @param indexOptions the item vectors' kNN index options, or null for {@code item-vectors.json}'s
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
    boolean forceMerge,
    Safeguards safeguards,
    VectorIndexOptions indexOptions
) {

    /**
     * What protects the live model from a bad run: the lock's lease, the largest fraction of invalid events (empty or over-long
     * ids) a run may skip before it fails, and the publish gate.
     */
    public record Safeguards(ModelLock.Lease lease, double maxInvalidFraction, PublishGate gate) {
        public static final Safeguards DEFAULT = new Safeguards(ModelLock.Lease.DEFAULT, 0.01, PublishGate.NONE);

        public Safeguards {
            if (maxInvalidFraction < 0 || maxInvalidFraction > 1 || Double.isNaN(maxInvalidFraction)) {
                throw new IllegalArgumentException("[--max-invalid-fraction] must be in [0, 1], got [" + maxInvalidFraction + "]");
            }
        }
    }

    /** The largest dims a dense_vector field accepts. */
    static final int MAX_DIMS = 4096;

    /** Implicit ALS with {@code params}, every event, without force-merging. */
    public TrainJob(String model, InteractionFields fields, ImplicitAlsParams params, int minPerUser, int minPerItem, CatalogSource catalog,
                    int keep) {
        this(model, AlgorithmSettings.of(params), fields, minPerUser, minPerItem, catalog, keep, Window.ALL);
    }

    public TrainJob(String model, AlgorithmSettings settings, InteractionFields fields, int minPerUser, int minPerItem,
                    CatalogSource catalog, int keep, Window window) {
        this(model, settings, fields, minPerUser, minPerItem, catalog, keep, window, false);
    }

    public TrainJob(String model, AlgorithmSettings settings, InteractionFields fields, int minPerUser, int minPerItem,
                    CatalogSource catalog, int keep, Window window, boolean forceMerge) {
        this(model, settings, fields, minPerUser, minPerItem, catalog, keep, window, forceMerge, Safeguards.DEFAULT);
    }

    /** With the template's kNN index options. */
    public TrainJob(String model, AlgorithmSettings settings, InteractionFields fields, int minPerUser, int minPerItem,
                    CatalogSource catalog, int keep, Window window, boolean forceMerge, Safeguards safeguards) {
        this(model, settings, fields, minPerUser, minPerItem, catalog, keep, window, forceMerge, safeguards, null);
    }

    public TrainJob withSafeguards(Safeguards s) {
        return new TrainJob(model, settings, fields, minPerUser, minPerItem, catalog, keep, window, forceMerge, s, indexOptions);
    }

    /** The same job publishing its item vectors with {@code options} as their kNN index (null: the template's). */
    public TrainJob withIndexOptions(VectorIndexOptions options) {
        return new TrainJob(model, settings, fields, minPerUser, minPerItem, catalog, keep, window, forceMerge, safeguards, options);
    }

    /** The algorithm the settings are for. */
    public Algorithm algorithm() {
        return settings.algorithm();
    }

    /**
     * Reads the interactions the plan selects and trains: the part of a run a training engine replaces. Validation, the
     * plan, the lock and publishing stay in {@link TrainJob}, so a model looks the same to the plugin whichever engine trained it.
     */
    public interface Engine {
        /** The engine's name, recorded in the model's training summary. */
        String name();

        ModelArtifacts train(TrainJob job, ReadPlan plan, ElasticsearchClient client, Counts counts, ProgressLog log) throws IOException;
    }

    /** What an engine read: events seen, and events skipped for an empty or over-long id. */
    public static final class Counts {
        private long read;
        private long invalid;
        private InteractionMatrix data;

        public void add(long readEvents, long invalidEvents) {
            read += readEvents;
            invalid += invalidEvents;
        }

        /** The matrix trained on, when the engine built it in this JVM (the gate's metric needs it). */
        public void data(InteractionMatrix matrix) {
            this.data = matrix;
        }

        public long read() {
            return read;
        }

        public long invalid() {
            return invalid;
        }
    }

    /** Reads with {@link InteractionReader} and trains in this JVM. */
    public static final Engine LOCAL = new Engine() {
        @Override
        public String name() {
            return "local";
        }

        @Override
        public ModelArtifacts train(TrainJob job, ReadPlan plan, ElasticsearchClient client, Counts counts, ProgressLog log)
            throws IOException {
            boolean times = job.safeguards().gate().metric() != null && plan.recipe().fields().timestampField() != null;
            InteractionMatrix.Accumulator acc = new InteractionMatrix.Accumulator(plan.recipe().duplicates(), times);
            InteractionReader reader = new InteractionReader(client, plan);
            reader.read(acc, log);
            counts.add(acc.events() + reader.invalidEvents(), reader.invalidEvents());
            job.checkInvalid(counts);
            InteractionMatrix data = acc.build(job.minPerUser(), job.minPerItem(), plan.recipe().binarizeThreshold());
            // the accumulator's event chunks (as large as the matrix) are garbage now: collect them before training allocates the
            // transpose and the factors, which then reuse that memory instead of growing the heap (the peak RSS of a large run)
            System.gc();
            if (data.userItems().nnz() == 0) {
                throw new IllegalStateException("no positive interactions in [" + job.fields().index()
                    + "] after filtering; nothing to train");
            }
            counts.data(data);
            return switch (job.settings()) {
                case AlgorithmSettings.Ials ials -> ImplicitTrainer.train(job.model(), data, ials.params(), plan.recipe(), log);
                case AlgorithmSettings.Als als -> ExplicitTrainer.train(job.model(), data, als.params(), plan.recipe(), log);
                default -> throw new IllegalArgumentException("[algorithm] [" + job.algorithm().cliName()
                    + "] cannot be published to a cluster; use ials or als");
            };
        }
    };

    /** Fails the run, before anything is written, when more events than allowed had invalid ids. */
    public void checkInvalid(Counts counts) {
        if (counts.read() > 0 && counts.invalid() > safeguards.maxInvalidFraction() * counts.read()) {
            throw new IllegalStateException(String.format(Locale.ROOT, "[%d] of [%d] events (%.2f%%) have an empty or over-long user or "
                + "item id, more than [--max-invalid-fraction] [%s]; fix the events or raise the limit", counts.invalid(), counts.read(),
                100.0 * counts.invalid() / counts.read(), safeguards.maxInvalidFraction()));
        }
    }

    public int run(ElasticsearchClient client, ProgressLog log) throws IOException {
        return run(client, log, VersionWriter.BulkHook.NONE, LOCAL);
    }

    public int run(ElasticsearchClient client, ProgressLog log, VersionWriter.BulkHook hook) throws IOException {
        return run(client, log, hook, LOCAL);
    }

    /**
     * Runs the job with {@code engine} reading and training; returns the published version. Throws
     * {@link ModelLock.HeldException} when another process holds the model, {@link PublishRefusedException} when the run
     * trained but refused to publish, and anything else when it failed; in every case the previous version keeps serving.
     */
    public int run(ElasticsearchClient client, ProgressLog log, VersionWriter.BulkHook hook, Engine engine) throws IOException {
        validate();
        checkFields(client);
        ModelPublisher publisher = new ModelPublisher(client, log, hook, forceMerge, indexOptions);
        VersionManager versions = publisher.versions();
        // Before anything can write a run record: the record (written even when the run fails) must never be the first document
        // of mf-training-runs, which would create it with dynamic mappings. Acquiring the lock checks the indices again (cheap,
        // and needed by lock-only callers such as the models commands).
        versions.ensureIndices();
        RunRecorder record = new RunRecorder(model);
        TrainingRun.Outcome outcome = TrainingRun.Outcome.FAILED;
        Integer published = null;
        String error = null;
        try (ModelLock lock = ModelLock.acquire(client, model, "train", safeguards.lease(), log)) {
            FailurePoints.reached(FailurePoints.LOCKED);
            Integer pinned = versions.state(model).document().pinnedVersion();
            if (pinned != null) {
                throw new PublishRefusedException("model [" + model + "] is pinned to version [" + pinned + "] by a rollback; not "
                    + "publishing until an operator runs: models unpin " + model);
            }
            DuplicatePolicy duplicates = algorithm() == Algorithm.ALS ? DuplicatePolicy.MEAN : DuplicatePolicy.SUM;
            ReadPlan plan = ReadPlan.of(client, fields, window, duplicates, Instant.now(), log);
            Counts counts = new Counts();
            ModelArtifacts artifacts = engine.train(this, plan, client, counts, log);
            record.phase("train");
            record.count("events_read", counts.read());
            record.count("events_invalid", counts.invalid());
            record.count("pairs", artifacts.metadata().training().pairCount());
            record.count("users", artifacts.userIds().size());
            record.count("items", artifacts.itemIds().size());
            checkInvalid(counts);
            gate(client, versions, artifacts, counts, record, log);
            record.phase("gate");
            AttributeModelDocument attributes = catalog == null || algorithm() != Algorithm.IALS ? null
                : fitAttributes(client, artifacts, log);
            ModelPublisher.Published result = publisher.publish(artifacts, catalog, attributes, keep, lock);
            record.phase("publish");
            record.count("catalog_skipped", result.written().catalogSkipped());
            published = result.version();
            error = result.afterSwapProblem();
            outcome = TrainingRun.Outcome.PUBLISHED;
            return result.version();
        } catch (ModelLock.HeldException e) {
            outcome = TrainingRun.Outcome.SKIPPED;
            error = e.getMessage();
            throw e;
        } catch (PublishRefusedException e) {
            outcome = TrainingRun.Outcome.REFUSED;
            error = e.getMessage();
            log.step("not published, the live version keeps serving: " + e.getMessage());
            throw e;
        } catch (IOException | RuntimeException e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            throw e;
        } finally {
            record.finish(client, outcome, published, error, log);
        }
    }

    /**
     * The catalog-attribute regression of the trained items, for provisional vectors of items added later ({@code refresh-items});
     * null when no trained item is in the catalog.
     */
    private AttributeModelDocument fitAttributes(ElasticsearchClient client, ModelArtifacts artifacts, ProgressLog log) throws IOException {
        Map<String, Map<String, Object>> found = CatalogReader.read(client, catalog, artifacts.itemIds());
        if (found.isEmpty()) {
            return null;
        }
        List<Map<String, Object>> attributes = new ArrayList<>(artifacts.itemIds().size());
        for (String item : artifacts.itemIds()) {
            attributes.add(found.get(item));
        }
        AttributeRegression r = AttributeRegression.fit(attributes, artifacts.itemVectors(), artifacts.vectorDims(), ATTRIBUTE_RIDGE);
        log.step("fitted the catalog-attribute regression on " + found.size() + " items");
        return new AttributeModelDocument(model, 0, r.factors(), AttributeRegression.DIMS, r.norm(), r.weights(), r.numeric());
    }

    /** The attribute regression's ridge: enough to keep hashed features of rare tokens from fitting noise. */
    static final double ATTRIBUTE_RIDGE = 10.0;

    /** The gate: counts against the live model, then the metric when one is configured. */
    private void gate(ElasticsearchClient client, VersionManager versions, ModelArtifacts artifacts, Counts counts, RunRecorder record,
                      ProgressLog log) throws IOException {
        PublishGate gate = safeguards.gate();
        int liveVersion = versions.liveVersion(model);
        ModelMetadata live = null;
        for (ModelMetadata m : liveVersion < 0 ? List.<ModelMetadata>of() : versions.versions(model)) {
            if (m.version() == liveVersion) {
                live = m;
            }
        }
        gate.checkCounts(artifacts.metadata(), live, record.gate());
        if (gate.metric() == null || live == null) {
            return;
        }
        if (counts.data == null) {
            throw new IllegalArgumentException("[--gate] with a metric needs the local engine (it scores the new model in this process)");
        }
        GateEvaluator.Scores scores = GateEvaluator.evaluate(client, artifacts, counts.data, live, gate.metric(), log);
        String name = gate.metric().metric() + "@" + gate.metric().k();
        record.gate().put(name + "_new", scores.candidate());
        record.gate().put(name + "_live", scores.live());
        record.gate().put("gate_users", scores.users());
        if (scores.candidate() < gate.metric().ratio() * scores.live()) {
            throw new PublishRefusedException(String.format(Locale.ROOT, "gate: %s of the new model %.4f < %s x live version %d's %.4f",
                name, scores.candidate(), gate.metric().ratio(), live.version(), scores.live()));
        }
    }

    private void validate() {
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
