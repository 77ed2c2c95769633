package dev.mfrecs.trainer.publish;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.OpType;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.indices.update_aliases.Action;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mfrecs.contract.AttributeModelDocument;
import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelMetadata;
import dev.mfrecs.contract.ModelStateDocument;
import dev.mfrecs.trainer.FailurePoints;
import dev.mfrecs.trainer.es.EsConnection;
import dev.mfrecs.trainer.es.JsonDocument;
import dev.mfrecs.trainer.log.ProgressLog;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Manages a model's published versions: which one is live, the list of versions, version numbers that are never reused, the
 * atomic alias swap, rollback (which pins the rolled-back version), deletion and retention, and the clean-up of what an
 * unfinished publish left. Every change is made under the model's {@link ModelLock} and right after a {@link ModelLock#fence()},
 * and no index an alias points to is ever deleted (checked right before each delete).
 * <p>
 * The swap is the one step whose outcome can be ambiguous: a timeout or a reset connection after the request left says nothing
 * about whether the cluster applied it. After any failure of the swap the alias state is read back (retrying) before anything
 * is cleaned up; when it cannot be read, nothing is deleted and the run fails saying so.
 */
public final class VersionManager {

    /** The aliases did not move; the previous version keeps serving. */
    public static final class NotSwappedException extends IOException {
        public NotSwappedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The swap's outcome could not be read back: nothing was cleaned up, an operator should look ({@code models list}). */
    public static final class SwapUnknownException extends IOException {
        public SwapUnknownException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static final int SWAP_CHECKS = 10;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ElasticsearchClient client;
    private final ProgressLog log;

    public VersionManager(ElasticsearchClient client, ProgressLog log) {
        this.client = client;
        this.log = log;
    }

    /** Creates the hidden metadata and run-record indices when missing, and adds new fields of the contract's mapping. */
    public void ensureIndices() throws IOException {
        ensureIndex(ModelIndices.METADATA_INDEX, "model-metadata.json");
        ensureIndex(ModelIndices.RUNS_INDEX, "training-runs.json");
    }

    private void ensureIndex(String index, String template) throws IOException {
        String body = ModelIndices.template(template);
        if (client.indices().exists(e -> e.index(index)).value() == false) {
            try {
                client.indices().create(c -> c.index(index).withJson(new StringReader(body)).masterTimeout(t -> t.time(
                    EsConnection.MASTER_TIMEOUT)));
                return;
            } catch (ElasticsearchException e) {
                if ("resource_already_exists_exception".equals(e.error().type()) == false) {
                    throw e;
                }
            }
        }
        // An index made by an earlier version: mappings only grow, so the contract's fields are added in place.
        ObjectNode mappings = (ObjectNode) JSON.readTree(body).path("mappings");
        String json = JSON.writeValueAsString(mappings);
        client.indices().putMapping(p -> p.index(index).withJson(new StringReader(json)).masterTimeout(t -> t.time(
            EsConnection.MASTER_TIMEOUT)));
    }

    /** The concrete indices an alias points to (empty when it does not exist). */
    List<String> aliasTargets(String alias) throws IOException {
        if (client.indices().existsAlias(e -> e.name(alias)).value() == false) {
            return List.of();
        }
        return new ArrayList<>(client.indices().getAlias(g -> g.name(alias)).aliases().keySet());
    }

    /** The live version (the one the items alias points to), or -1. */
    public int liveVersion(String model) throws IOException {
        for (String index : aliasTargets(ModelIndices.itemsAlias(model))) {
            int v = ModelIndices.versionOfItemsIndex(model, index);
            if (v >= 0) {
                return v;
            }
        }
        return -1;
    }

    /** Every version's metadata, newest first; a document that does not satisfy the contract fails the listing naming it. */
    @SuppressWarnings("unchecked")
    public List<ModelMetadata> versions(String model) throws IOException {
        if (client.indices().exists(e -> e.index(ModelIndices.METADATA_INDEX)).value() == false) {
            return List.of();
        }
        @SuppressWarnings("rawtypes")
        SearchResponse<Map> r = client.search(s -> s.index(ModelIndices.METADATA_INDEX)
            .query(q -> q.term(t -> t.field(ModelMetadata.MODEL).value(model)))
            .sort(o -> o.field(f -> f.field(ModelMetadata.VERSION).order(SortOrder.Desc)))
            .size(1000), Map.class);
        List<ModelMetadata> out = new ArrayList<>();
        for (@SuppressWarnings("rawtypes") Hit<Map> hit : r.hits().hits()) {
            out.add(ModelMetadata.fromMap(hit.id(), hit.source()));
        }
        return out;
    }

    /** The model's state document with the sequence number it was read at (-1 when it does not exist yet). */
    public record State(ModelStateDocument document, long seqNo, long primaryTerm) {
        boolean exists() {
            return seqNo >= 0;
        }
    }

    @SuppressWarnings("unchecked")
    public State state(String model) throws IOException {
        String id = ModelStateDocument.id(model);
        @SuppressWarnings("rawtypes")
        GetResponse<Map> r = client.get(g -> g.index(ModelIndices.METADATA_INDEX).id(id), Map.class);
        if (r.found() == false) {
            return new State(ModelStateDocument.initial(model), -1, -1);
        }
        return new State(ModelStateDocument.fromMap(id, r.source()), r.seqNo(), r.primaryTerm());
    }

    /** Writes the state, conditional on the state it was derived from (a concurrent writer makes this fail with 409). */
    void writeState(State previous, ModelStateDocument next) throws IOException {
        String id = ModelStateDocument.id(next.model());
        if (previous.exists()) {
            client.index(i -> i.index(ModelIndices.METADATA_INDEX).id(id).document(JsonDocument.of(next.toMap())).ifSeqNo(previous.seqNo())
                .ifPrimaryTerm(previous.primaryTerm()));
        } else {
            client.index(i -> i.index(ModelIndices.METADATA_INDEX).id(id).document(JsonDocument.of(next.toMap())).opType(OpType.Create));
        }
    }

    /**
     * Reserves the next version number: above every number ever reserved, described or present as an index (an index left by
     * a killed run must not be reused either), recorded in the state document before anything is created.
     */
    public int reserveVersion(String model, ModelLock lock) throws IOException {
        lock.fence();
        State state = state(model);
        int max = state.document().lastVersion();
        for (ModelMetadata m : versions(model)) {
            max = Math.max(max, m.version());
        }
        for (String index : modelIndices(model)) {
            max = Math.max(max, versionOf(model, index));
        }
        int version = max + 1;
        writeState(state, state.document().withLastVersion(version));
        return version;
    }

    /** Concrete indices of any version of the model. */
    private Set<String> modelIndices(String model) throws IOException {
        return client.indices().get(g -> g.index(model + "-items-v*", model + "-users-v*").allowNoIndices(true).ignoreUnavailable(true))
            .indices().keySet();
    }

    private static int versionOf(String model, String index) {
        return ModelIndices.versionOfItemsIndex(model, index.replaceFirst("-users-v", "-items-v"));
    }

    /**
     * Points both aliases at {@code version} in one atomic {@code _aliases} call, after a fencing check. On any failure the
     * alias state is read back: the swap happened (return normally), did not happen ({@link NotSwappedException}), or cannot be
     * told ({@link SwapUnknownException}).
     */
    public void swap(String model, int version, ModelLock lock) throws IOException {
        lock.fence();
        String itemsAlias = ModelIndices.itemsAlias(model);
        String usersAlias = ModelIndices.usersAlias(model);
        String items = ModelIndices.itemsIndex(model, version);
        String users = ModelIndices.usersIndex(model, version);
        List<Action> actions = new ArrayList<>();
        for (String alias : List.of(itemsAlias, usersAlias)) {
            for (String current : aliasTargets(alias)) {
                actions.add(Action.of(x -> x.remove(r -> r.index(current).alias(alias))));
            }
        }
        actions.add(Action.of(x -> x.add(ad -> ad.index(items).alias(itemsAlias))));
        actions.add(Action.of(x -> x.add(ad -> ad.index(users).alias(usersAlias))));
        try {
            boolean acknowledged = client.indices().updateAliases(u -> u.actions(actions)
                .masterTimeout(t -> t.time(EsConnection.MASTER_TIMEOUT))
                .timeout(t -> t.time(EsConnection.MASTER_TIMEOUT))).acknowledged();
            if (acknowledged == false) {
                log.step("the alias swap to version [" + version + "] was not acknowledged by every node in time; reading the aliases "
                    + "back");
                confirmSwap(model, version, null);
            }
        } catch (IOException | RuntimeException e) {
            log.step("the alias swap to version [" + version + "] failed (" + e + "); reading the aliases back before anything else");
            confirmSwap(model, version, e);
        }
    }

    /** Reads the aliases back after a swap whose answer was lost or not acknowledged; see {@link #swap}. */
    private void confirmSwap(String model, int version, Exception cause) throws IOException {
        Exception last = cause;
        long backoff = 500;
        for (int attempt = 0; attempt < SWAP_CHECKS; attempt++) {
            try {
                List<String> items = aliasTargets(ModelIndices.itemsAlias(model));
                List<String> users = aliasTargets(ModelIndices.usersAlias(model));
                boolean toNew = items.equals(List.of(ModelIndices.itemsIndex(model, version))) && users.equals(List.of(
                    ModelIndices.usersIndex(model, version)));
                boolean toNewAtAll = items.contains(ModelIndices.itemsIndex(model, version))
                    || users.contains(ModelIndices.usersIndex(model, version));
                if (toNew) {
                    log.step("the aliases point to version [" + version + "]: the swap happened");
                    return;
                }
                if (toNewAtAll == false) {
                    throw new NotSwappedException("the alias swap to version [" + version + "] did not happen; the previous version keeps "
                        + "serving", cause);
                }
                last = new IllegalStateException("aliases in an unexpected state: items " + items + ", users " + users);
            } catch (NotSwappedException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                last = e;
            }
            sleep(backoff);
            backoff = Math.min(backoff * 2, 8_000);
        }
        throw new SwapUnknownException("could not tell whether the alias swap to version [" + version + "] of model [" + model
            + "] happened; nothing was deleted; check with: models list " + model, last);
    }

    /**
     * Makes an older version live again (the given one, or the newest older than the live one) and pins it: scheduled runs keep
     * training but do not publish until {@link #unpin}. Returns the version now live.
     */
    public int rollback(String model, Integer to, String by, ModelLock lock) throws IOException {
        int live = liveVersion(model);
        int target = -1;
        for (ModelMetadata v : versions(model)) {
            if (to != null ? v.version() == to : v.version() < live && v.version() > target) {
                target = v.version();
            }
        }
        if (target < 0) {
            throw new IllegalArgumentException(to != null ? "model [" + model + "] has no version [" + to + "]"
                : "model [" + model + "] has no version older than the live version [" + live + "]");
        }
        final int t = target;
        if (client.indices().exists(e -> e.index(ModelIndices.itemsIndex(model, t), ModelIndices.usersIndex(model, t))).value() == false) {
            throw new IllegalArgumentException("model [" + model + "] version [" + t + "] has no indices any more");
        }
        swap(model, target, lock);
        State state = state(model);
        writeState(state, state.document().pinned(target, Instant.now(), by));
        return target;
    }

    /** Lifts a rollback's pin; returns the version that was pinned, or null. */
    public Integer unpin(String model, ModelLock lock) throws IOException {
        lock.fence();
        State state = state(model);
        Integer pinned = state.document().pinnedVersion();
        if (pinned != null) {
            writeState(state, state.document().unpinned());
        }
        return pinned;
    }

    /** Deletes one version; refuses the live one and a pinned one. */
    public void deleteVersion(String model, int version, ModelLock lock) throws IOException {
        if (version == liveVersion(model)) {
            throw new IllegalArgumentException("model [" + model + "] version [" + version + "] is live; roll back first");
        }
        Integer pinned = state(model).document().pinnedVersion();
        if (pinned != null && pinned == version) {
            throw new IllegalArgumentException("model [" + model + "] version [" + version + "] is pinned by a rollback; unpin first");
        }
        delete(model, version, lock);
    }

    /**
     * Keeps the live version, the version that was live before the last publish (what a rollback returns to), a pinned one, and
     * the {@code keep} most recently published versions; deletes the others.
     */
    public void retain(String model, int keep, int previousLive, ModelLock lock) throws IOException {
        Set<Integer> kept = new LinkedHashSet<>();
        kept.add(liveVersion(model));
        if (previousLive >= 0) {
            kept.add(previousLive);
        }
        Integer pinned = state(model).document().pinnedVersion();
        if (pinned != null) {
            kept.add(pinned);
        }
        List<ModelMetadata> all = versions(model);
        for (int i = 0; i < Math.min(Math.max(1, keep), all.size()); i++) {
            kept.add(all.get(i).version());
        }
        for (ModelMetadata v : all) {
            if (kept.contains(v.version()) == false) {
                log.step("retention: deleting model [" + model + "] version [" + v.version() + "]");
                delete(model, v.version(), lock, FailurePoints.RETENTION);
            }
        }
    }

    /**
     * Deletes versioned indices of this model that no alias points to and no metadata document describes: what a trainer
     * killed in the middle of publishing leaves behind. Runs under the lock, so no live publish owns them.
     */
    public void cleanOrphans(String model, ModelLock lock) throws IOException {
        Set<Integer> described = new HashSet<>();
        for (ModelMetadata v : versions(model)) {
            described.add(v.version());
        }
        Set<Integer> orphans = new TreeSet<>();
        for (String index : modelIndices(model)) {
            int v = versionOf(model, index);
            if (v >= 0 && described.contains(v) == false) {
                orphans.add(v);
            }
        }
        for (int v : orphans) {
            log.step("deleting version [" + v + "] of model [" + model + "], left over by an unfinished publish");
            delete(model, v, lock);
        }
    }

    /**
     * Deletes a version's indices and metadata document, after a fencing check and a last look at the aliases: an index an
     * alias points to is never deleted, whatever the caller believed.
     */
    public void delete(String model, int version, ModelLock lock) throws IOException {
        delete(model, version, lock, null);
    }

    /** {@link #delete(String, int, ModelLock)}, pausing at the test-only {@code pauseStep} between the two index deletions. */
    private void delete(String model, int version, ModelLock lock, String pauseStep) throws IOException {
        lock.fence();
        String items = ModelIndices.itemsIndex(model, version);
        String users = ModelIndices.usersIndex(model, version);
        Set<String> aliased = new HashSet<>(aliasTargets(ModelIndices.itemsAlias(model)));
        aliased.addAll(aliasTargets(ModelIndices.usersAlias(model)));
        if (aliased.contains(items) || aliased.contains(users)) {
            throw new IllegalStateException("refusing to delete version [" + version + "] of model [" + model + "]: an alias points to it");
        }
        for (String index : List.of(items, users)) {
            if (client.indices().exists(e -> e.index(index)).value()) {
                client.indices().delete(d -> d.index(index).masterTimeout(t -> t.time(EsConnection.MASTER_TIMEOUT)));
            }
            if (pauseStep != null && index.equals(items)) {
                FailurePoints.reached(pauseStep);
            }
        }
        if (client.indices().exists(e -> e.index(ModelIndices.METADATA_INDEX)).value()) {
            client.delete(d -> d.index(ModelIndices.METADATA_INDEX).id(ModelIndices.metadataId(model, version)).refresh(Refresh.WaitFor));
            client.delete(d -> d.index(ModelIndices.METADATA_INDEX).id(AttributeModelDocument.id(model, version)).refresh(Refresh.WaitFor));
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
