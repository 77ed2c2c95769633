package dev.mfrecs.plugin.manage;

import dev.mfrecs.contract.ModelIndices;
import dev.mfrecs.contract.ModelLockDocument;

import org.elasticsearch.ElasticsearchStatusException;
import org.elasticsearch.ExceptionsHelper;
import org.elasticsearch.action.DocWriteRequest;
import org.elasticsearch.action.DocWriteResponse;
import org.elasticsearch.action.delete.DeleteRequest;
import org.elasticsearch.action.get.GetRequest;
import org.elasticsearch.action.get.GetResponse;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.action.support.WriteRequest;
import org.elasticsearch.client.internal.Client;
import org.elasticsearch.core.TimeValue;
import org.elasticsearch.index.engine.VersionConflictEngineException;
import org.elasticsearch.rest.RestStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * The plugin's side of a model's lock: the same document ({@code _lock-<model>} in {@value ModelIndices#METADATA_INDEX}, the
 * contract's {@link ModelLockDocument}) and the same lease rules as the trainer's {@code ModelLock}, written through the node
 * client, so a rollback or delete over REST never races a trainer publishing, an operator's {@code mfrecs models} command, or a
 * REST call on another node. Taken with an atomic create; an expired lease (two minutes after its holder last renewed it) is
 * taken over with a write conditional on its {@code _seq_no} and {@code _primary_term}; {@link #fence()} renews it, again
 * conditionally, right before every change, so a holder that lost the lease stops before changing anything; {@link #close()}
 * deletes it only if it is still this holder's. A REST operation takes seconds, so there is no heartbeat: the fence before each
 * step renews the lease as the trainer's heartbeat would.
 * <p>
 * Blocking: called on the {@code management} thread pool only, never on a network thread.
 */
public final class ModelLease implements AutoCloseable {

    /** The trainer's lease length ({@code ModelLock.Lease.DEFAULT}); the two must agree for takeovers to be fair. */
    public static final Duration TTL = Duration.ofMinutes(2);
    static final TimeValue TIMEOUT = TimeValue.timeValueSeconds(60);

    private final Client client;
    private final String model;
    private final String id;
    private ModelLockDocument held;
    private long seqNo;
    private long primaryTerm;
    private boolean lost;

    private ModelLease(Client client, String model) {
        this.client = client;
        this.model = model;
        this.id = ModelLockDocument.id(model);
    }

    /** Who holds a lease taken on this node: the node's name and a random id, as the trainer writes host, pid and a random id. */
    public static String owner(String nodeName) {
        return "node " + nodeName + "/" + UUID.randomUUID();
    }

    /**
     * Takes {@code model}'s lease for {@code purpose}, or fails with a 409 naming the holder and when its lease expires. The caller
     * has checked that {@value ModelIndices#METADATA_INDEX} exists (a create would otherwise make it with a dynamic mapping).
     */
    public static ModelLease acquire(Client client, String model, String purpose, String owner) {
        ModelLease lease = new ModelLease(client, model);
        lease.take(purpose, owner, true);
        return lease;
    }

    private void take(String purpose, String owner, boolean retryIfGone) {
        Instant now = Instant.now();
        ModelLockDocument mine = new ModelLockDocument(model, owner, purpose, now, now, now.plus(TTL));
        try {
            DocWriteResponse r = client.index(write(mine).opType(DocWriteRequest.OpType.CREATE)).actionGet(TIMEOUT);
            holding(mine, r.getSeqNo(), r.getPrimaryTerm());
            return;
        } catch (RuntimeException e) {
            if (conflict(e) == false) {
                throw e;
            }
        }
        GetResponse current = client.get(new GetRequest(ModelIndices.METADATA_INDEX, id)).actionGet(TIMEOUT);
        if (current.isExists() == false) {
            if (retryIfGone) {
                take(purpose, owner, false);
                return;
            }
            throw new ElasticsearchStatusException("model [{}] is being locked and unlocked by others; try again", RestStatus.CONFLICT,
                model);
        }
        ModelLockDocument other = ModelLockDocument.fromMap(id, current.getSourceAsMap());
        if (other.expiredAt(Instant.now()) == false) {
            throw new ElasticsearchStatusException("model [{}] is locked by [{}] ({}) until [{}]; try again when it is done, or if that "
                + "process is gone, after the lock expired", RestStatus.CONFLICT, model, other.owner(), other.purpose(), other.expires());
        }
        try {
            DocWriteResponse r = client.index(write(mine).setIfSeqNo(current.getSeqNo()).setIfPrimaryTerm(current.getPrimaryTerm()))
                .actionGet(TIMEOUT);
            holding(mine, r.getSeqNo(), r.getPrimaryTerm());
        } catch (RuntimeException e) {
            if (conflict(e)) {
                throw new ElasticsearchStatusException("model [{}]: another process took over the expired lock first", RestStatus.CONFLICT,
                    model);
            }
            throw e;
        }
    }

    private IndexRequest write(ModelLockDocument doc) {
        return new IndexRequest(ModelIndices.METADATA_INDEX).id(id).source(doc.toMap()).setRefreshPolicy(WriteRequest.RefreshPolicy
            .WAIT_UNTIL);
    }

    private void holding(ModelLockDocument doc, long seq, long term) {
        this.held = doc;
        this.seqNo = seq;
        this.primaryTerm = term;
    }

    /** The lease as last written by this holder. */
    public ModelLockDocument held() {
        return held;
    }

    /**
     * Renews the lease with a write conditional on the last one: after it returns the lease is this holder's for another {@link #TTL};
     * if it was taken over or removed, a 409 and nothing may be changed.
     */
    public void fence() {
        if (lost) {
            throw lostLease();
        }
        ModelLockDocument renewed = held.renewedAt(Instant.now(), TTL.toMillis());
        try {
            DocWriteResponse r = client.index(write(renewed).setIfSeqNo(seqNo).setIfPrimaryTerm(primaryTerm)).actionGet(TIMEOUT);
            holding(renewed, r.getSeqNo(), r.getPrimaryTerm());
        } catch (RuntimeException e) {
            if (conflict(e)) {
                lost = true;
                throw lostLease();
            }
            throw e;
        }
    }

    private ElasticsearchStatusException lostLease() {
        return new ElasticsearchStatusException("lost the lock of model [{}] (taken over or removed); stopped without changing more",
            RestStatus.CONFLICT, model);
    }

    /** Deletes the lock if it is still this holder's. */
    @Override
    public void close() {
        if (lost || held == null) {
            return;
        }
        try {
            client.delete(new DeleteRequest(ModelIndices.METADATA_INDEX, id).setIfSeqNo(seqNo).setIfPrimaryTerm(primaryTerm)
                .setRefreshPolicy(WriteRequest.RefreshPolicy.WAIT_UNTIL)).actionGet(TIMEOUT);
        } catch (RuntimeException e) {
            if (conflict(e) == false) {
                throw e;
            }
        } finally {
            held = null;
        }
    }

    static boolean conflict(Exception e) {
        return ExceptionsHelper.unwrapCause(e) instanceof VersionConflictEngineException;
    }
}
