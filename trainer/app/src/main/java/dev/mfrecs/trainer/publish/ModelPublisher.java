package dev.mfrecs.trainer.publish;

import co.elastic.clients.elasticsearch.ElasticsearchClient;

import dev.mfrecs.contract.CatalogSource;
import dev.mfrecs.contract.AttributeModelDocument;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.contract.VectorIndexOptions;

import dev.mfrecs.trainer.log.ProgressLog;

import java.io.IOException;

/**
 * Publishes trained artifacts as a new immutable version and makes it live, under the model's lock: clean up what an
 * unfinished publish left, reserve a version number that is never reused, write the version ({@link VersionWriter}), fence,
 * swap both aliases atomically ({@link VersionManager#swap}), then apply retention. Anything that fails before the swap
 * deletes what this publish wrote (never an index an alias points to), so the previous version keeps serving and nothing
 * half-written is ever visible; a swap whose outcome cannot be read back deletes nothing. A failure after the swap (retention)
 * does not undo the publish: the new version is live and the failure is reported as such.
 */
public final class ModelPublisher {

    /** What a publish did: the version now live, what the writer skipped, and a problem after the swap (null if none). */
    public record Published(int version, int previousLive, VersionWriter.Written written, String afterSwapProblem) {}

    private final ProgressLog log;
    private final VersionWriter writer;
    private final VersionManager versions;

    public ModelPublisher(ElasticsearchClient client, ProgressLog log, VersionWriter.BulkHook hook, boolean forceMerge) {
        this(client, log, hook, forceMerge, null);
    }

    /** Publishing the item vectors with {@code indexOptions} as their kNN index (null: {@code item-vectors.json}'s). */
    public ModelPublisher(ElasticsearchClient client, ProgressLog log, VersionWriter.BulkHook hook, boolean forceMerge,
                          VectorIndexOptions indexOptions) {
        this.log = log;
        this.writer = new VersionWriter(client, log, hook, forceMerge, indexOptions);
        this.versions = new VersionManager(client, log);
    }

    public ModelPublisher(ElasticsearchClient client, ProgressLog log) {
        this(client, log, VersionWriter.BulkHook.NONE, false);
    }

    public VersionManager versions() {
        return versions;
    }

    /** Publishes and swaps under {@code lock}; keeps the newest {@code keep} versions plus the live and the previous one. */
    public Published publish(ModelArtifacts a, CatalogSource catalog, int keep, ModelLock lock) throws IOException {
        return publish(a, catalog, null, keep, lock);
    }

    /**
     * As {@link #publish(ModelArtifacts, CatalogSource, int, ModelLock)}, with the catalog-attribute regression (null: none; its
     * version is set to the published one).
     */
    public Published publish(ModelArtifacts a, CatalogSource catalog, AttributeModelDocument attributes, int keep, ModelLock lock)
        throws IOException {
        String model = a.model();
        // The metadata indices exist with the contract's mappings: acquiring the lock made sure of it.
        versions.cleanOrphans(model, lock);
        int previousLive = versions.liveVersion(model);
        int version = versions.reserveVersion(model, lock);
        ModelMetadata metadata = a.metadata().withVersion(version).withCatalog(catalog);
        log.step("publishing model [" + model + "] version [" + version + "] into [" + metadata.itemsIndex() + "] and ["
            + metadata.usersIndex() + "]");
        VersionWriter.Written written;
        try {
            written = writer.write(a, metadata, catalog, attributes == null ? null : attributes.withVersion(version), lock);
            versions.swap(model, version, lock);
        } catch (VersionManager.SwapUnknownException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            log.step("publishing version [" + version + "] failed; deleting what it wrote: " + e.getMessage());
            deleteQuietly(model, version, lock, e);
            throw e;
        }
        log.step("alias of model [" + model + "] now points to version [" + version + "]");
        String problem = null;
        try {
            versions.retain(model, keep, previousLive, lock);
        } catch (IOException | RuntimeException e) {
            problem = "version [" + version + "] is live, but retention failed: " + e.getMessage();
            log.step(problem);
        }
        return new Published(version, previousLive, written, problem);
    }

    private void deleteQuietly(String model, int version, ModelLock lock, Exception cause) {
        try {
            versions.delete(model, version, lock);
        } catch (Exception e) {
            cause.addSuppressed(e);
            log.step("could not delete version [" + version + "] (the next run cleans it up): " + e.getMessage());
        }
    }
}
